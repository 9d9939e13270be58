package org.civicpoints.api.firebase;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.UserStanding;
import org.civicpoints.api.port.VerifiedIdentity;

/**
 * A dev server without FIREBASE_PROJECT_ID: Firebase sign-in answers 503, dev sign-in still works.
 */
public final class FirebaseNotConfigured implements IdentityVerifier {

  @Override
  public Future<VerifiedIdentity> verify(String idToken) {
    return Future.failedFuture(
        new DomainException(ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, "notConfigured", Map.of()));
  }

  /** A server that lost its Firebase settings cannot vouch for Firebase sign-ins either. */
  @Override
  public Future<UserStanding> standing(String uid, Instant authTime) {
    return Future.failedFuture(
        new DomainException(ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, "notConfigured", Map.of()));
  }

  /** A Firebase user cannot be deleted without Firebase: the deletion waits for a retry. */
  @Override
  public Future<Void> deleteUser(String uid) {
    return Future.failedFuture(
        new DomainException(ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE, "notConfigured", Map.of()));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
