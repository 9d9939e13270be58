package org.civicpoints.api.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Caller;

/**
 * The access tokens already verified, so that each distinct token costs one ES256 verification (a
 * few ms of CPU on P-256) rather than one per request. Keyed by the SHA-256 of the whole token,
 * signature included: a token altered in any byte has another key and is verified in full. Only
 * successes are kept, each until the moment its verification would have failed for expiry; the
 * least recently used entry goes when {@code capacity} is reached.
 *
 * <p>What a cached token proves is what its claims said when it was verified; that is no more than
 * the token itself proves until its expiry without a cache (roles and scopes live in the token, so
 * a revoked role already lasts until the token's {@code exp}). Key retirement is checked on every
 * hit, so a token of a retired key stops at once, as it would without the cache.
 */
final class VerifiedTokens {

  /** A verified token: its caller, the key id that signed it, and when it stops being valid. */
  record Verified(Caller caller, String kid, Instant validUntil) {}

  private final Map<String, Verified> byDigest;
  private final Clock clock;

  VerifiedTokens(int capacity, Clock clock) {
    this.clock = clock;
    this.byDigest =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The verification of exactly this token, if it was verified and is still valid. */
  synchronized Optional<Verified> find(String token) {
    String digest = digest(token);
    Verified found = byDigest.get(digest);
    if (found != null && !clock.instant().isBefore(found.validUntil())) {
      byDigest.remove(digest);
      return Optional.empty();
    }
    return Optional.ofNullable(found);
  }

  synchronized void keep(String token, Verified verified) {
    byDigest.put(digest(token), verified);
  }

  synchronized int size() {
    return byDigest.size();
  }

  private static String digest(String token) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JDK has SHA-256", impossible);
    }
  }
}
