package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.civicpoints.api.domain.Attendance;

/** Enrollments and check-ins, one record per (activity, member). Missing → null. */
public interface Attendances {

  /** false when the member was already enrolled (the unique key refused a second record). */
  Future<Boolean> enroll(Attendance attendance);

  /** true when a record was removed. */
  Future<Boolean> leave(String activityId, String memberId);

  Future<Attendance> find(String activityId, String memberId);

  /** Those of these members at these activities who checked in with the code. */
  Future<Set<Attendee>> verified(Collection<Attendee> attendees);

  Future<Attendance> checkIn(String activityId, String memberId, Instant at, boolean verified);

  Future<Attendance> checkOut(String activityId, String memberId, Instant at);

  Future<List<Attendance>> listByActivity(String activityId);

  /** The member's enrollments among these activities. */
  Future<List<Attendance>> among(String memberId, Collection<String> activityIds);

  /** Every enrollment of the member. */
  Future<List<Attendance>> ofMember(String memberId);

  /** A member at an activity. */
  record Attendee(String activityId, String memberId) {}
}
