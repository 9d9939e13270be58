package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.civicpoints.api.domain.Activity;

/** Activities and their seat counters. Missing → null. */
public interface Activities {

  Future<Void> insert(Activity activity);

  Future<Activity> findById(String activityId);

  /** Those of these activities that exist. */
  Future<List<Activity>> findByIds(Collection<String> activityIds);

  Future<List<Activity>> listByCommunity(String communityId);

  /** The open (not cancelled) activities starting after {@code after} and by {@code until}. */
  Future<List<Activity>> openStartingBetween(Instant after, Instant until);

  /**
   * Stores the editable fields of {@code changed} (title, times, capacity, location, check-in,
   * claims per day) if still OPEN.
   */
  Future<Activity> update(Activity changed);

  /** OPEN → CANCELLED; null if it was not OPEN. */
  Future<Activity> cancel(String activityId);

  /** Takes one seat if one is left (atomic, never above capacity); false when full or not OPEN. */
  Future<Boolean> takeSeat(String activityId);

  Future<Void> releaseSeat(String activityId);
}
