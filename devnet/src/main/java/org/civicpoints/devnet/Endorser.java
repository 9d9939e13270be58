package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.shim.Chaincode;

/**
 * The peer's endorser: checks a signed proposal (channel, chaincode, transaction id, creator and
 * signature), simulates it against committed state through the hosted contracts and, for Endorse,
 * wraps the result into the prepared transaction envelope the client signs and submits.
 */
final class Endorser {

  /** Fabric treats chaincode responses from 400 up as errors. */
  private static final int ERROR_THRESHOLD = 400;

  private static final String CHAINCODE_VERSION = "1.0";

  private final DevnetConfig config;
  private final Msp msp;
  private final Ledger ledger;
  private final ContractRouter router;

  /** The outcome of running a proposal's chaincode function. */
  record Simulation(Response response, KVRWSet readWriteSet, ChaincodeEvent event) {}

  Endorser(DevnetConfig config, Msp msp, Ledger ledger, ContractRouter router) {
    this.config = config;
    this.msp = msp;
    this.ledger = ledger;
    this.router = router;
  }

  /** Runs a query: the chaincode's response, or the failure a peer would report. */
  Response evaluate(SignedProposal signed) throws EndorsementFailure {
    return simulate(accept(signed)).response();
  }

  /** Simulates and endorses: the prepared transaction, unsigned, for the client to sign. */
  Envelope endorse(SignedProposal signed) throws EndorsementFailure {
    ParsedProposal proposal = accept(signed);
    if (ledger.location(proposal.txId()).isPresent()) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.ENDORSER,
          "error validating proposal: duplicate transaction found [" + proposal.txId() + "]");
    }
    return preparedTransaction(proposal, simulate(proposal));
  }

  ParsedProposal accept(SignedProposal signed) throws EndorsementFailure {
    ParsedProposal proposal;
    try {
      proposal = ParsedProposal.parse(signed);
    } catch (InvalidProtocolBufferException e) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.MALFORMED,
          "failed to unpack transaction proposal: " + e.getMessage());
    }
    if (proposal.channelHeader().getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.MALFORMED,
          "invalid header type " + proposal.channelHeader().getType());
    }
    if (!config.channel().equals(proposal.channelId())) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.NOT_FOUND, "channel '" + proposal.channelId() + "' not found");
    }
    if (!config.chaincodeName().equals(proposal.chaincodeName())) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.NOT_FOUND,
          "chaincode definition for '"
              + proposal.chaincodeName()
              + "' not found on channel "
              + config.channel());
    }
    checkCreator(proposal);
    return proposal;
  }

  private void checkCreator(ParsedProposal proposal) throws EndorsementFailure {
    if (!TransactionIds.matches(
        proposal.txId(), proposal.signatureHeader().getNonce(), proposal.creator())) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.ENDORSER,
          "error validating proposal: incorrectly computed transaction id " + proposal.txId());
    }
    try {
      msp.verify(
          proposal.creator(),
          proposal.signed().getProposalBytes(),
          proposal.signed().getSignature());
    } catch (IdentityRejectedException e) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.ENDORSER,
          "error validating proposal: access denied: channel ["
              + config.channel()
              + "]: "
              + e.getMessage());
    }
  }

  Simulation simulate(ParsedProposal proposal) throws EndorsementFailure {
    Simulation simulation;
    try (WorldState.View view = ledger.state().openView()) {
      SimulationStub stub =
          new SimulationStub(proposal, view, config.chaincodeName(), msp.organization().mspId());
      Chaincode.Response response = router.invoke(stub);
      simulation = new Simulation(toProto(response), stub.readWriteSet(), stub.chaincodeEvent());
    }
    Response response = simulation.response();
    if (response.getStatus() >= ERROR_THRESHOLD) {
      throw new EndorsementFailure(
          EndorsementFailure.Kind.ENDORSER,
          "chaincode response " + response.getStatus() + ", " + response.getMessage());
    }
    return simulation;
  }

  private static Response toProto(Chaincode.Response response) {
    Response.Builder proto = Response.newBuilder().setStatus(response.getStatusCode());
    if (response.getMessage() != null) {
      proto.setMessage(response.getMessage());
    }
    if (response.getPayload() != null) {
      proto.setPayload(ByteString.copyFrom(response.getPayload()));
    }
    return proto.build();
  }

  /**
   * The envelope a peer gateway returns from Endorse: the proposal's header, and one action
   * carrying the chaincode proposal payload and this peer's endorsement of the
   * ProposalResponsePayload (proposal hash + ChaincodeAction with results, events, response).
   */
  private Envelope preparedTransaction(ParsedProposal proposal, Simulation simulation) {
    ByteString responsePayload =
        ProposalResponsePayload.newBuilder()
            .setProposalHash(proposalHash(proposal))
            .setExtension(chaincodeAction(simulation).toByteString())
            .build()
            .toByteString();
    ByteString endorser = msp.peerIdentity();
    Endorsement endorsement =
        Endorsement.newBuilder()
            .setEndorser(endorser)
            .setSignature(
                ByteString.copyFrom(msp.signAsPeer(responsePayload.concat(endorser).toByteArray())))
            .build();
    ChaincodeActionPayload actionPayload =
        ChaincodeActionPayload.newBuilder()
            .setChaincodeProposalPayload(proposal.payloadWithoutTransient())
            .setAction(
                ChaincodeEndorsedAction.newBuilder()
                    .setProposalResponsePayload(responsePayload)
                    .addEndorsements(endorsement))
            .build();
    Transaction transaction =
        Transaction.newBuilder()
            .addActions(
                TransactionAction.newBuilder()
                    .setHeader(proposal.header().getSignatureHeader())
                    .setPayload(actionPayload.toByteString()))
            .build();
    Payload payload =
        Payload.newBuilder()
            .setHeader(proposal.header())
            .setData(transaction.toByteString())
            .build();
    return Envelope.newBuilder().setPayload(payload.toByteString()).build();
  }

  private ChaincodeAction chaincodeAction(Simulation simulation) {
    TxReadWriteSet results =
        TxReadWriteSet.newBuilder()
            .setDataModel(TxReadWriteSet.DataModel.KV)
            .addNsRwset(
                NsReadWriteSet.newBuilder()
                    .setNamespace(config.chaincodeName())
                    .setRwset(simulation.readWriteSet().toByteString()))
            .build();
    ChaincodeAction.Builder action =
        ChaincodeAction.newBuilder()
            .setResults(results.toByteString())
            .setResponse(simulation.response())
            .setChaincodeId(
                ChaincodeID.newBuilder()
                    .setName(config.chaincodeName())
                    .setVersion(CHAINCODE_VERSION));
    if (simulation.event() != null) {
      action.setEvents(simulation.event().toByteString());
    }
    return action.build();
  }

  /**
   * Fabric's proposal hash: SHA-256 over channel header, signature header and the public payload.
   */
  private static ByteString proposalHash(ParsedProposal proposal) {
    MessageDigest sha256 = TransactionIds.sha256();
    sha256.update(proposal.header().getChannelHeader().toByteArray());
    sha256.update(proposal.header().getSignatureHeader().toByteArray());
    sha256.update(proposal.payloadWithoutTransient().toByteArray());
    return ByteString.copyFrom(sha256.digest());
  }
}
