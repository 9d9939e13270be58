package org.civicpoints.devnet;

/**
 * Why a proposal was not endorsed or evaluated; GatewayService shapes it into a peer's gRPC error.
 */
final class EndorsementFailure extends Exception {

  /** Where the failure happened, which decides the gRPC status a peer would return. */
  enum Kind {
    /** The proposal could not be unpacked. */
    MALFORMED,
    /** The proposal names a channel or chaincode this peer does not serve. */
    NOT_FOUND,
    /** The endorser refused it (identity, signature) or the chaincode returned an error. */
    ENDORSER
  }

  private final Kind kind;

  EndorsementFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
