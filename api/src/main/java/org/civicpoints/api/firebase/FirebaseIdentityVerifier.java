package org.civicpoints.api.firebase;

import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseApp;
import com.google.firebase.auth.AuthErrorCode;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.auth.FirebaseAuthException;
import com.google.firebase.auth.FirebaseToken;
import com.google.firebase.auth.UserRecord;
import com.google.firebase.internal.FirebaseProcessEnvironment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.config.FirebaseConfig;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.UserStanding;
import org.civicpoints.api.port.VerifiedIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Firebase ID tokens with the Admin SDK, revocation included. The SDK blocks (it fetches
 * keys and, for the revocation check, the user), so it runs on a named worker pool, never on an
 * event loop.
 */
public final class FirebaseIdentityVerifier implements IdentityVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(FirebaseIdentityVerifier.class);
  private static final String EMULATOR_HOST_VARIABLE = "FIREBASE_AUTH_EMULATOR_HOST";
  private static final int WORKERS = 4;
  private static final Set<ErrorCode> PROVIDER_DOWN =
      Set.of(
          ErrorCode.UNAVAILABLE,
          ErrorCode.DEADLINE_EXCEEDED,
          ErrorCode.INTERNAL,
          ErrorCode.UNKNOWN);

  private final FirebaseApp app;
  private final FirebaseAuth auth;
  private final WorkerExecutor workers;

  private FirebaseIdentityVerifier(FirebaseApp app, WorkerExecutor workers) {
    this.app = app;
    this.auth = FirebaseAuth.getInstance(app);
    this.workers = workers;
  }

  /** Blocking (reads the credentials file): call from a worker. */
  public static FirebaseIdentityVerifier create(Vertx vertx, FirebaseConfig config) {
    String projectId = config.projectId().orElseThrow();
    // The SDK reads the emulator host from the process environment only; config is our source of
    // truth.
    config
        .authEmulatorHost()
        .ifPresent(host -> FirebaseProcessEnvironment.setenv(EMULATOR_HOST_VARIABLE, host));
    FirebaseApp app = FirebaseApps.start(FirebaseApps.options(config), "civic-points-");
    LOG.info(
        "Firebase sign-in for project {}{}",
        projectId,
        config.authEmulatorHost().map(host -> " through the Auth emulator at " + host).orElse(""));
    return new FirebaseIdentityVerifier(
        app, vertx.createSharedWorkerExecutor("firebase-admin", WORKERS));
  }

  @Override
  public Future<VerifiedIdentity> verify(String idToken) {
    return workers
        .<VerifiedIdentity>executeBlocking(
            () -> toIdentity(auth.verifyIdToken(idToken, true)), false)
        .recover(failure -> Future.failedFuture(translate(failure)));
  }

  private static VerifiedIdentity toIdentity(FirebaseToken token) {
    Object phone = token.getClaims().get("phone_number");
    long authTime = ((Number) token.getClaims().get("auth_time")).longValue();
    return new VerifiedIdentity(
        token.getUid(),
        Optional.ofNullable(phone).map(Object::toString),
        Instant.ofEpochSecond(authTime));
  }

  @Override
  public Future<UserStanding> standing(String uid, Instant authTime) {
    return workers
        .<UserStanding>executeBlocking(() -> standing(auth.getUser(uid), authTime), false)
        .recover(
            failure ->
                failure instanceof FirebaseAuthException refused
                        && refused.getAuthErrorCode() == AuthErrorCode.USER_NOT_FOUND
                    ? Future.succeededFuture(UserStanding.DELETED)
                    : Future.failedFuture(translate(failure)));
  }

  @Override
  public Future<Void> deleteUser(String uid) {
    return workers
        .<Void>executeBlocking(
            () -> {
              auth.deleteUser(uid);
              return null;
            },
            false)
        .recover(
            failure ->
                failure instanceof FirebaseAuthException refused
                        && refused.getAuthErrorCode() == AuthErrorCode.USER_NOT_FOUND
                    ? Future.succeededFuture()
                    : Future.failedFuture(unreachable(failure)));
  }

  /** Anything but "no such user" leaves the user in place: the deletion is to be retried. */
  private static Throwable unreachable(Throwable failure) {
    LOG.warn("Firebase could not delete a user: {}", failure.getClass().getSimpleName());
    return new DomainException(
        org.civicpoints.api.domain.ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE,
        "unreachable",
        Map.of());
  }

  /** The same comparison the SDK makes for a revoked ID token, in milliseconds. */
  private static UserStanding standing(UserRecord user, Instant authTime) {
    if (user.isDisabled()) {
      return UserStanding.DISABLED;
    }
    return authTime.toEpochMilli() < user.getTokensValidAfterTimestamp()
        ? UserStanding.REVOKED
        : UserStanding.ACTIVE;
  }

  private static Throwable translate(Throwable failure) {
    if (failure instanceof FirebaseAuthException auth) {
      if (auth.getAuthErrorCode() == null && PROVIDER_DOWN.contains(auth.getErrorCode())) {
        LOG.warn("Firebase could not verify a token: {}", auth.getErrorCode());
        return new DomainException(
            org.civicpoints.api.domain.ErrorCode.IDENTITY_PROVIDER_UNAVAILABLE,
            "unreachable",
            Map.of());
      }
      return invalidIdToken(refusal(auth.getAuthErrorCode()));
    }
    if (failure instanceof IllegalArgumentException) {
      return invalidIdToken("malformed");
    }
    return failure;
  }

  /** The detail key of a refused token: the cases a person can act on, else "refused". */
  private static String refusal(AuthErrorCode code) {
    if (code == null) {
      return "refused";
    }
    return switch (code) {
      case EXPIRED_ID_TOKEN -> "expired";
      case REVOKED_ID_TOKEN -> "revoked";
      case USER_DISABLED -> "disabled";
      default -> "refused";
    };
  }

  private static DomainException invalidIdToken(String detailKey) {
    return new DomainException(
        org.civicpoints.api.domain.ErrorCode.INVALID_ID_TOKEN, detailKey, Map.of());
  }

  @Override
  public Future<Void> close() {
    return workers
        .close()
        .compose(
            v -> {
              app.delete();
              return Future.succeededFuture();
            });
  }
}
