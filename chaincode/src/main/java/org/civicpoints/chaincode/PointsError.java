package org.civicpoints.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The stable error codes of the points contract.
 *
 * <p>A Fabric peer forwards only a chaincode error's message to clients, never its payload, so
 * every message starts with the code ({@code "INSUFFICIENT_POINTS: balance 10 is below 20"}) and
 * the payload carries the bare code for in-process callers.
 */
public enum PointsError {
  NOT_FOUND,
  INVALID_ARGUMENT,
  FORBIDDEN,
  INSUFFICIENT_POINTS,
  CONFLICT,
  ALREADY_REVERSED,
  ALREADY_REFUNDED,
  RULE_INACTIVE;

  /** The message clients see: the code, a colon, and what was wrong. */
  public String message(final String detail) {
    return name() + ": " + detail;
  }

  public ChaincodeException exception(final String detail) {
    return new ChaincodeException(message(detail), name());
  }
}
