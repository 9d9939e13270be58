package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.util.Map;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;

/**
 * Keyed POSTs (an Idempotency-Key, remembered per member): what the first request under a key made
 * is the answer to every repeat of that request; the key sent with another request is refused.
 */
final class Idempotent {

  private Idempotent() {}

  /**
   * {@code earlier}, the {@code subject} first made under the key, if {@code sameRequest}; else
   * IDEMPOTENCY_KEY_REUSED.
   */
  static <T> Future<T> replay(T earlier, boolean sameRequest, String subject) {
    return sameRequest
        ? Future.succeededFuture(earlier)
        : Future.failedFuture(
            new DomainException(ErrorCode.IDEMPOTENCY_KEY_REUSED, subject, Map.of()));
  }
}
