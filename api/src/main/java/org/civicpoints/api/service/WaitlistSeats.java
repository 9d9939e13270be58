package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Waitlist;
import org.civicpoints.api.port.Waitlist.Place;

/**
 * How the seats of a full activity reach its waitlist. A seat that comes free passes to the first
 * waiting member without ever being counted free, so nobody can take it between; a waiting member
 * is admitted by whoever deletes their place, so nobody is admitted twice, and a lost race moves on
 * to the next place. Seats are counted only by the activity's conditional counters: never above the
 * capacity.
 */
final class WaitlistSeats {

  /** Told of each member admitted from the waitlist, after their enrollment is stored. */
  interface Admitted {
    Future<Void> admitted(Activity activity, Place place);
  }

  private final Activities activities;
  private final Attendances attendances;
  private final Waitlist waitlist;
  private final Admitted admitted;
  private final Clock clock;

  WaitlistSeats(
      Activities activities,
      Attendances attendances,
      Waitlist waitlist,
      Admitted admitted,
      Clock clock) {
    this.activities = activities;
    this.attendances = attendances;
    this.waitlist = waitlist;
    this.admitted = admitted;
    this.clock = clock;
  }

  /** Queues the member; a seat freed meanwhile goes to the first in the queue at once. */
  Future<Place> join(Activity activity, String memberId) {
    String activityId = activity.activityId();
    return activities
        .nextWaitlistTicket(activityId)
        .compose(ticket -> waitlist.join(new Place(activityId, memberId, ticket, clock.instant())))
        .compose(joined -> fill(activity))
        .compose(v -> waitlist.find(activityId, memberId));
  }

  /** A member's seat came free: the first waiting member takes it, else it is free again. */
  Future<Void> passOn(Activity activity) {
    String activityId = activity.activityId();
    if (!activity.isOpen()) {
      return activities.releaseSeat(activityId);
    }
    return waitlist
        .first(activityId)
        .compose(
            next ->
                next == null
                    ? activities.releaseSeat(activityId)
                    : waitlist
                        .remove(activityId, next.memberId())
                        .compose(won -> won ? admit(activity, next) : passOn(activity)));
  }

  /** While members wait and seats are free, the first waiting take them. */
  Future<Void> fill(Activity activity) {
    return waitlist
        .first(activity.activityId())
        .compose(
            next ->
                next == null
                    ? Future.succeededFuture()
                    : activities
                        .takeSeat(activity.activityId())
                        .compose(
                            taken ->
                                taken
                                    ? passOn(activity).compose(v -> fill(activity))
                                    : Future.succeededFuture()));
  }

  /** A member who enrolled meanwhile already holds a seat: this one passes on. */
  private Future<Void> admit(Activity activity, Place place) {
    return attendances
        .enroll(Attendance.enrolment(activity, place.memberId(), clock.instant()))
        .compose(created -> created ? admitted.admitted(activity, place) : passOn(activity));
  }
}
