package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A transaction envelope unpacked down to its read-write set, as the committer needs it.
 *
 * @param envelope the envelope as submitted (it becomes block data unchanged)
 * @param signatureHeader the creator and nonce
 * @param endorsements the endorsements over {@code responsePayload}
 * @param responsePayload the serialized ProposalResponsePayload the endorsements sign
 * @param readWriteSet the read-write set of the chaincode's namespace
 * @param event the chaincode event, or null when the transaction set none
 */
record EndorsedTransaction(
    Envelope envelope,
    Payload payload,
    ChannelHeader channelHeader,
    SignatureHeader signatureHeader,
    List<Endorsement> endorsements,
    ByteString responsePayload,
    KVRWSet readWriteSet,
    ChaincodeEvent event) {

  String txId() {
    return channelHeader.getTxId();
  }

  Instant timestamp() {
    return Instant.ofEpochSecond(
        channelHeader.getTimestamp().getSeconds(), channelHeader.getTimestamp().getNanos());
  }

  /**
   * Unpacks an endorser transaction of the given chaincode, or says which validation code it earns.
   */
  static EndorsedTransaction parse(Envelope envelope, String chaincodeName)
      throws InvalidTransactionException {
    Payload payload;
    ChannelHeader channelHeader;
    SignatureHeader signatureHeader;
    try {
      payload = Payload.parseFrom(envelope.getPayload());
      Header header = payload.getHeader();
      channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
      signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxValidationCode.BAD_PAYLOAD, "the envelope payload is malformed");
    }
    if (channelHeader.getType() != HeaderType.ENDORSER_TRANSACTION_VALUE) {
      throw new InvalidTransactionException(
          TxValidationCode.UNKNOWN_TX_TYPE,
          "only endorser transactions are accepted, not type " + channelHeader.getType());
    }
    return unpackAction(envelope, payload, channelHeader, signatureHeader, chaincodeName);
  }

  private static EndorsedTransaction unpackAction(
      Envelope envelope,
      Payload payload,
      ChannelHeader channelHeader,
      SignatureHeader signatureHeader,
      String chaincodeName)
      throws InvalidTransactionException {
    ChaincodeActionPayload actionPayload;
    ProposalResponsePayload responsePayload;
    ChaincodeAction action;
    try {
      Transaction transaction = Transaction.parseFrom(payload.getData());
      if (transaction.getActionsCount() != 1) {
        throw new InvalidTransactionException(
            TxValidationCode.NIL_TXACTION, "a transaction carries exactly one action");
      }
      actionPayload = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
      responsePayload =
          ProposalResponsePayload.parseFrom(actionPayload.getAction().getProposalResponsePayload());
      action = ChaincodeAction.parseFrom(responsePayload.getExtension());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxValidationCode.BAD_RESPONSE_PAYLOAD, "the transaction action is malformed");
    }
    return new EndorsedTransaction(
        envelope,
        payload,
        channelHeader,
        signatureHeader,
        actionPayload.getAction().getEndorsementsList(),
        actionPayload.getAction().getProposalResponsePayload(),
        readWriteSet(action, chaincodeName),
        event(action));
  }

  private static KVRWSet readWriteSet(ChaincodeAction action, String chaincodeName)
      throws InvalidTransactionException {
    try {
      TxReadWriteSet results = TxReadWriteSet.parseFrom(action.getResults());
      KVRWSet set = KVRWSet.getDefaultInstance();
      for (NsReadWriteSet namespace : results.getNsRwsetList()) {
        if (!namespace.getNamespace().equals(chaincodeName)) {
          throw new InvalidTransactionException(
              TxValidationCode.ILLEGAL_WRITESET,
              "the read-write set touches namespace " + namespace.getNamespace());
        }
        set = KVRWSet.parseFrom(namespace.getRwset());
      }
      return set;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxValidationCode.BAD_RWSET, "the read-write set is malformed");
    }
  }

  private static ChaincodeEvent event(ChaincodeAction action) throws InvalidTransactionException {
    if (action.getEvents().isEmpty()) {
      return null;
    }
    try {
      ChaincodeEvent event = ChaincodeEvent.parseFrom(action.getEvents());
      return event.getEventName().isEmpty() ? null : event;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidTransactionException(
          TxValidationCode.BAD_RESPONSE_PAYLOAD, "the chaincode event is malformed");
    }
  }

  /** The transaction id of any envelope whose header can be read, or "" when it cannot. */
  static String txIdOf(Envelope envelope) {
    try {
      Payload payload = Payload.parseFrom(envelope.getPayload());
      return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
    } catch (InvalidProtocolBufferException e) {
      return "";
    }
  }
}
