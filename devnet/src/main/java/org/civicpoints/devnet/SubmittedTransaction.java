package org.civicpoints.devnet;

import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * A transaction waiting to be ordered, with the outcome of the stateless checks already done on the
 * submitting thread (signatures, endorsement, transaction id), so the committer only does the
 * stateful ones.
 *
 * @param transaction the unpacked transaction, or null when it failed to unpack
 * @param precheck VALID, or the code the stateless checks earned
 */
record SubmittedTransaction(
    Envelope envelope, String txId, EndorsedTransaction transaction, TxValidationCode precheck) {}
