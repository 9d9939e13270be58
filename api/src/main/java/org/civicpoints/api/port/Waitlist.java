package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Members waiting for a seat at a full activity, first come first served by ticket. Taking a member
 * off the list is one delete: whoever deletes the place (the member leaving it, or a leaver handing
 * them a seat) is the only one who does.
 */
public interface Waitlist {

  /** false when the member was waiting already (the unique key refused a second place). */
  Future<Boolean> join(Place place);

  /** The earliest waiting member of the activity, or null. */
  Future<Place> first(String activityId);

  /** true when this call took the place off the list (nobody else did it first). */
  Future<Boolean> remove(String activityId, String memberId);

  /** The member's place at the activity, or null. */
  Future<Place> find(String activityId, String memberId);

  /** How many wait before the ticket. */
  Future<Long> ahead(String activityId, long ticket);

  /** The member's places among these activities. */
  Future<List<Place>> among(String memberId, Collection<String> activityIds);

  /** Every place the member holds. */
  Future<List<Place>> ofMember(String memberId);

  /** A member waiting for a seat; {@code ticket} orders the list. */
  record Place(String activityId, String memberId, long ticket, Instant joinedAt) {}
}
