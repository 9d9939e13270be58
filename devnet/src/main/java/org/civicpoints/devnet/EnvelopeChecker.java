package org.civicpoints.devnet;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The stateless half of Fabric's transaction validation, run on the submitting thread so the single
 * committer thread only does the stateful half: the envelope must unpack, name this channel, carry
 * a correctly derived transaction id, be signed by a member of the organisation, and carry a valid
 * endorsement by this peer over its read-write set.
 */
final class EnvelopeChecker {

  private final DevnetConfig config;
  private final Msp msp;

  EnvelopeChecker(DevnetConfig config, Msp msp) {
    this.config = config;
    this.msp = msp;
  }

  /**
   * The envelope with the code it earned; an envelope without a readable transaction id is refused.
   */
  SubmittedTransaction check(Envelope envelope) throws InvalidProtocolBufferException {
    String txId = EndorsedTransaction.txIdOf(envelope);
    if (txId.isEmpty()) {
      throw new InvalidProtocolBufferException("the envelope carries no transaction id");
    }
    try {
      EndorsedTransaction transaction = EndorsedTransaction.parse(envelope, config.chaincodeName());
      checkStateless(transaction);
      return new SubmittedTransaction(envelope, txId, transaction, TxValidationCode.VALID);
    } catch (InvalidTransactionException e) {
      return new SubmittedTransaction(envelope, txId, null, e.code());
    }
  }

  private void checkStateless(EndorsedTransaction transaction) throws InvalidTransactionException {
    if (!config.channel().equals(transaction.channelHeader().getChannelId())) {
      throw new InvalidTransactionException(
          TxValidationCode.TARGET_CHAIN_NOT_FOUND,
          "channel " + transaction.channelHeader().getChannelId() + " is not served here");
    }
    if (!TransactionIds.matches(
        transaction.txId(),
        transaction.signatureHeader().getNonce(),
        transaction.signatureHeader().getCreator())) {
      throw new InvalidTransactionException(
          TxValidationCode.BAD_PROPOSAL_TXID, "incorrectly computed txid");
    }
    try {
      msp.verify(
          transaction.signatureHeader().getCreator(),
          transaction.envelope().getPayload(),
          transaction.envelope().getSignature());
    } catch (IdentityRejectedException e) {
      throw new InvalidTransactionException(TxValidationCode.BAD_CREATOR_SIGNATURE, e.getMessage());
    }
    if (!endorsedByThisPeer(transaction)) {
      throw new InvalidTransactionException(
          TxValidationCode.ENDORSEMENT_POLICY_FAILURE, "no valid endorsement by this peer");
    }
  }

  /** The endorsement policy of a single-peer network: this peer signed the response payload. */
  private boolean endorsedByThisPeer(EndorsedTransaction transaction) {
    for (Endorsement endorsement : transaction.endorsements()) {
      if (endorsement.getEndorser().equals(msp.peerIdentity())
          && msp.verifyPeerSignature(
              transaction.responsePayload().concat(endorsement.getEndorser()).toByteArray(),
              endorsement.getSignature().toByteArray())) {
        return true;
      }
    }
    return false;
  }
}
