package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Refresh tokens, stored by hash only, grouped in families (one family per sign-in). A revoked
 * family makes every token in it useless, including ones issued after the revocation started.
 */
public interface RefreshTokens {

  Future<Void> openFamily(String familyId, String memberId, Instant at);

  Future<Void> insert(StoredRefreshToken token);

  Future<StoredRefreshToken> findByHash(String tokenHash);

  /** Moves the token from ACTIVE to RETIRED; false if it was not ACTIVE (already used). */
  Future<Boolean> retire(String tokenHash, Instant at);

  Future<Boolean> isFamilyRevoked(String familyId);

  Future<Void> revokeFamily(String familyId, String reason, Instant at);
}
