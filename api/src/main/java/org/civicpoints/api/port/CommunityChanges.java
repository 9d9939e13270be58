package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.CommunityChange;

/** Requests to move to another community. A member has at most one PENDING request. */
public interface CommunityChanges {

  /**
   * Replaces the member's pending request, if any, by {@code request}; answers the stored request.
   */
  Future<CommunityChange> putPending(CommunityChange request);

  Future<CommunityChange> findPendingOf(String memberId);

  Future<CommunityChange> findById(String requestId);

  Future<List<CommunityChange>> listPendingInto(String communityId);

  /** Moves a PENDING request to {@code decided}; null if it was no longer PENDING. */
  Future<CommunityChange> decide(String requestId, CommunityChange.Status decided);
}
