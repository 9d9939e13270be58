package org.civicpoints.devnet;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** A submitted transaction that fails a stateless check; it is committed with this code. */
final class InvalidTransactionException extends Exception {

  private final TxValidationCode code;

  InvalidTransactionException(TxValidationCode code, String message) {
    super(message);
    this.code = code;
  }

  TxValidationCode code() {
    return code;
  }
}
