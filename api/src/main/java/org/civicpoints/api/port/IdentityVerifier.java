package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;

/** Verifies an identity provider's ID token (Firebase). Fails with a DomainException. */
public interface IdentityVerifier {

  Future<VerifiedIdentity> verify(String idToken);

  /**
   * Whether the user who authenticated at {@code authTime} is still active, disabled, deleted or
   * revoked since. Fails with a DomainException when the provider cannot tell.
   */
  Future<UserStanding> standing(String uid, Instant authTime);

  /**
   * Deletes the provider's user (a member deleting their account); a user already gone counts as
   * deleted. Fails with a DomainException when the provider cannot be reached.
   */
  Future<Void> deleteUser(String uid);

  Future<Void> close();
}
