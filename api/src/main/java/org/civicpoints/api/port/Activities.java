package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;

/** Activities and their seat counters. Missing → null. */
public interface Activities {

  Future<Void> insert(Activity activity);

  Future<Activity> findById(String activityId);

  /** Those of these activities that exist. */
  Future<List<Activity>> findByIds(Collection<String> activityIds);

  /** One page of the activities a search finds: by distance when near, else earliest first. */
  Future<Page<Found>> search(Search search);

  /**
   * What a listing asks. {@code communityIds} null: any community. PARTY activities only in {@code
   * partyCommunities} (null: everywhere). {@code from}/{@code to}: the activity runs at some time
   * between them. {@code text}: in the title, description or a tag, ignoring case.
   */
  record Search(
      Collection<String> communityIds,
      Collection<String> partyCommunities,
      Category type,
      Instant from,
      Instant to,
      String text,
      Near near,
      Cursor after,
      int limit) {}

  /** Within {@code radiusKm} of a point. */
  record Near(double lat, double lng, double radiusKm) {}

  /** An activity a search found; {@code distanceMeters} only for a search near a point. */
  record Found(Activity activity, Double distanceMeters) {}

  /** The open (not cancelled) activities starting after {@code after} and by {@code until}. */
  Future<List<Activity>> openStartingBetween(Instant after, Instant until);

  /**
   * Stores the editable fields of {@code changed} (title, times, capacity, location, check-in,
   * claims per day, details) if still OPEN.
   */
  Future<Activity> update(Activity changed);

  /** OPEN → CANCELLED; null if it was not OPEN. */
  Future<Activity> cancel(String activityId);

  /** Takes one seat if one is left (atomic, never above capacity); false when full or not OPEN. */
  Future<Boolean> takeSeat(String activityId);

  Future<Void> releaseSeat(String activityId);

  /** The next waitlist ticket of the activity (1, 2, …; atomic). */
  Future<Long> nextWaitlistTicket(String activityId);
}
