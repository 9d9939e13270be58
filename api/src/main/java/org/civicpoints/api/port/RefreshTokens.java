package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Refresh tokens, stored by hash only, grouped in families (one family per sign-in). A revoked
 * family makes every token in it useless, including ones issued after the revocation started.
 */
public interface RefreshTokens {

  Future<Void> createIndexes();

  Future<Void> openFamily(SessionFamily family);

  /** The family, or null when there is none (never opened, or swept after it expired). */
  Future<SessionFamily> findFamily(String familyId);

  Future<Void> userChecked(String familyId, Instant at);

  Future<Void> insert(StoredRefreshToken token);

  Future<StoredRefreshToken> findByHash(String tokenHash);

  /** Moves the token from ACTIVE to RETIRED; false if it was not ACTIVE (already used). */
  Future<Boolean> retire(String tokenHash, Instant at);

  Future<Void> revokeFamily(String familyId, String reason, Instant at);

  /**
   * Deletes tokens and families that expired before {@code now}; answers how many documents went.
   * Idempotent: running it twice, or on two instances at once, deletes the same set once.
   */
  Future<Long> deleteExpired(Instant now);
}
