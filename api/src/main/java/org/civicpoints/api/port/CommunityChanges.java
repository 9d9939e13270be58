package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.CommunityChange;

/** Requests to move to another community. A member has at most one PENDING request. */
public interface CommunityChanges {

  /**
   * PENDING → WITHDRAWN for the member's pending request unless it is to {@code toCommunityId};
   * answers the withdrawn request, or null.
   */
  Future<CommunityChange> withdrawPending(String memberId, String toCommunityId);

  /**
   * Stores {@code request} as the member's pending one; when they already have one (the same
   * target, or a concurrent request won), answers that one instead.
   */
  Future<CommunityChange> insertPending(CommunityChange request);

  Future<CommunityChange> findPendingOf(String memberId);

  Future<CommunityChange> findById(String requestId);

  Future<List<CommunityChange>> listPendingInto(String communityId);

  /** Moves a PENDING request to {@code decided}; null if it was no longer PENDING. */
  Future<CommunityChange> decide(String requestId, CommunityChange.Status decided);
}
