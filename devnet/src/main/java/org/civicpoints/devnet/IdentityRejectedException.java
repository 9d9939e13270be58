package org.civicpoints.devnet;

/** A signer that is not a member of the organisation, or a signature that does not verify. */
final class IdentityRejectedException extends Exception {

  IdentityRejectedException(String message) {
    super(message);
  }
}
