package org.civicpoints.api.port;

import io.vertx.core.Future;

/** Verifies an identity provider's ID token (Firebase). Fails with a DomainException. */
public interface IdentityVerifier {

  Future<VerifiedIdentity> verify(String idToken);

  Future<Void> close();
}
