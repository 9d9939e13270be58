package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** A signed proposal unpacked into the parts the endorser needs. */
record ParsedProposal(
    SignedProposal signed,
    Proposal proposal,
    Header header,
    ChannelHeader channelHeader,
    SignatureHeader signatureHeader,
    ChaincodeProposalPayload payload,
    ChaincodeInvocationSpec invocation) {

  static ParsedProposal parse(SignedProposal signed) throws InvalidProtocolBufferException {
    Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
    Header header = Header.parseFrom(proposal.getHeader());
    ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
    return new ParsedProposal(
        signed,
        proposal,
        header,
        ChannelHeader.parseFrom(header.getChannelHeader()),
        SignatureHeader.parseFrom(header.getSignatureHeader()),
        payload,
        ChaincodeInvocationSpec.parseFrom(payload.getInput()));
  }

  String txId() {
    return channelHeader.getTxId();
  }

  String channelId() {
    return channelHeader.getChannelId();
  }

  String chaincodeName() {
    return invocation.getChaincodeSpec().getChaincodeId().getName();
  }

  ByteString creator() {
    return signatureHeader.getCreator();
  }

  Instant timestamp() {
    return Instant.ofEpochSecond(
        channelHeader.getTimestamp().getSeconds(), channelHeader.getTimestamp().getNanos());
  }

  /**
   * The proposal payload as it goes into the transaction: transient data never reaches the ledger.
   */
  ByteString payloadWithoutTransient() {
    if (payload.getTransientMapCount() == 0) {
      return proposal.getPayload();
    }
    return payload.toBuilder().clearTransientMap().build().toByteString();
  }
}
