package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.CheckInCodes;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.GeoFence;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.PointRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activities, enrollment and check-in. Staff of a community (or admins) create, edit and cancel its
 * activities; residents read them; PARTY activities exist only for verified party members (to
 * everyone else they are NOT_FOUND, like any object outside the caller's reach).
 */
public final class ActivityService {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityService.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Activities activities;
  private final Attendances attendances;
  private final PointRules rules;
  private final OrganisationService organisation;
  private final AuditLog audit;
  private final CheckInLimits checkInLimits;
  private final Clock clock;

  public ActivityService(
      Activities activities,
      Attendances attendances,
      PointRules rules,
      OrganisationService organisation,
      AuditLog audit,
      Clock clock) {
    this.activities = activities;
    this.attendances = attendances;
    this.rules = rules;
    this.organisation = organisation;
    this.audit = audit;
    this.checkInLimits = new CheckInLimits(clock);
    this.clock = clock;
  }

  public record NewActivity(
      String communityId,
      Category type,
      String title,
      String ruleId,
      Instant startsAt,
      Instant endsAt,
      Integer capacity,
      GeoFence location,
      Activity.CheckInMode checkIn,
      int claimsPerDay) {}

  /** Absent fields keep their value. */
  public record ActivityChange(
      Optional<String> title,
      Optional<Instant> startsAt,
      Optional<Instant> endsAt,
      Optional<Integer> capacity,
      Optional<GeoFence> location,
      Optional<Activity.CheckInMode> checkIn,
      Optional<Integer> claimsPerDay) {}

  public record CheckIn(String code, Double lat, Double lng) {}

  /**
   * Told once an activity's change or cancellation is stored, before the answer: enrolled members
   * hear of it. A failure to tell is logged, never a failure of the change.
   */
  public interface Changes {
    Future<Void> changed(Activity before, Activity after);

    Future<Void> cancelled(Activity cancelled);
  }

  private Changes changes =
      new Changes() {
        @Override
        public Future<Void> changed(Activity before, Activity after) {
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> cancelled(Activity cancelled) {
          return Future.succeededFuture();
        }
      };

  public void tellChangesTo(Changes listener) {
    this.changes = listener;
  }

  private Future<Activity> told(Future<Void> telling, Activity activity) {
    return telling
        .recover(
            failure -> {
              LOG.warn(
                  "Enrolled members were not told of a change to {}",
                  activity.activityId(),
                  failure);
              return Future.succeededFuture();
            })
        .map(activity);
  }

  public Future<Activity> create(Caller caller, NewActivity request) {
    requireStaffOf(caller, request.communityId());
    requireActive(request.communityId());
    requireTimes(request.startsAt(), request.endsAt());
    return activeRule(request.ruleId())
        .compose(
            rule -> {
              if (rule.category() != request.type()) {
                throw DomainException.invalidField(
                    "type", "ruleCategory", Map.of("category", rule.category()));
              }
              Instant now = clock.instant();
              Activity activity =
                  new Activity(
                      Ids.activityId(),
                      request.communityId(),
                      request.type(),
                      request.title(),
                      request.ruleId(),
                      request.startsAt(),
                      request.endsAt(),
                      request.capacity(),
                      request.location(),
                      request.checkIn(),
                      request.claimsPerDay(),
                      Activity.Status.OPEN,
                      0,
                      newSecret(),
                      caller.memberId(),
                      now,
                      now);
              return activities
                  .insert(activity)
                  .compose(
                      v ->
                          audit.record(
                              caller.memberId(),
                              "ACTIVITY_CREATE",
                              activity.activityId(),
                              null,
                              summary(activity),
                              activity.communityId()))
                  .map(activity);
            });
  }

  public Future<List<Activity>> list(Caller caller, String communityId) {
    if (organisation.organisation().community(communityId).isEmpty()) {
      throw DomainException.notFound("community", Map.of("communityId", communityId));
    }
    return activities
        .listByCommunity(communityId)
        .map(all -> all.stream().filter(activity -> visibleTo(caller, activity)).toList());
  }

  public Future<Activity> get(Caller caller, String activityId) {
    return visible(caller, activityId);
  }

  public Future<Activity> change(Caller caller, String activityId, ActivityChange change) {
    return staffed(caller, activityId)
        .compose(
            current -> {
              Integer capacity = change.capacity().orElse(current.capacity());
              if (capacity != null && capacity < current.enrolled()) {
                throw DomainException.invalidField(
                    "capacity", "belowEnrolled", Map.of("enrolled", current.enrolled()));
              }
              Activity changed =
                  new Activity(
                      current.activityId(),
                      current.communityId(),
                      current.type(),
                      change.title().orElse(current.title()),
                      current.ruleId(),
                      change.startsAt().orElse(current.startsAt()),
                      change.endsAt().orElse(current.endsAt()),
                      capacity,
                      change.location().orElse(current.location()),
                      change.checkIn().orElse(current.checkIn()),
                      change.claimsPerDay().orElse(current.claimsPerDay()),
                      current.status(),
                      current.enrolled(),
                      current.checkInSecret(),
                      current.createdBy(),
                      current.createdAt(),
                      clock.instant());
              requireTimes(changed.startsAt(), changed.endsAt());
              return activities
                  .update(changed)
                  .compose(
                      stored ->
                          stored == null
                              ? Future.failedFuture(
                                  new DomainException(
                                      ErrorCode.INVALID_STATE,
                                      "activityChangedMeanwhile",
                                      Map.of("activityId", activityId)))
                              : audit
                                  .record(
                                      caller.memberId(),
                                      "ACTIVITY_CHANGE",
                                      activityId,
                                      summary(current),
                                      summary(stored),
                                      stored.communityId())
                                  .compose(v -> told(changes.changed(current, stored), stored)));
            });
  }

  public Future<Activity> cancel(Caller caller, String activityId) {
    return staffed(caller, activityId)
        .compose(
            current -> {
              if (!current.isOpen()) {
                return Future.succeededFuture(current);
              }
              return activities
                  .cancel(activityId)
                  .compose(
                      cancelled ->
                          cancelled == null
                              ? activities.findById(activityId)
                              : audit
                                  .record(
                                      caller.memberId(),
                                      "ACTIVITY_CANCEL",
                                      activityId,
                                      summary(current),
                                      summary(cancelled),
                                      cancelled.communityId())
                                  .compose(v -> told(changes.cancelled(cancelled), cancelled)));
            });
  }

  public Future<CheckInCodes.Code> checkInCode(Caller caller, String activityId) {
    return staffed(caller, activityId)
        .map(
            activity -> {
              if (activity.checkIn() != Activity.CheckInMode.CODE) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE, "noCheckInCode", Map.of("activityId", activityId));
              }
              return CheckInCodes.current(activity.checkInSecret(), clock.instant());
            });
  }

  /** Enrolling twice is a no-op; a seat is taken only by the first enrollment. */
  public Future<Attendance> enroll(Caller caller, String activityId) {
    return visible(caller, activityId)
        .compose(
            activity -> {
              requireOpen(activity);
              return enrolled(activity, caller.memberId());
            });
  }

  /**
   * Staff of the activity's community record that an assisted resident ({@code member}, seen as the
   * activity sees them) is there: enrolled (taking a seat) and checked in, within the check-in
   * hours. Staff witness it, so a CODE activity's attendance is verified; audited.
   */
  public Future<Attendance> recordAttendance(Caller staff, String activityId, Caller member) {
    return staffed(staff, activityId)
        .compose(
            activity -> {
              if (!visibleTo(member, activity)) {
                throw DomainException.notFound("activity", Map.of("activityId", activityId));
              }
              requireOpen(activity);
              requireHours(activity);
              boolean verified = activity.checkIn() == Activity.CheckInMode.CODE;
              return enrolled(activity, member.memberId())
                  .compose(
                      v ->
                          attendances.checkIn(
                              activityId, member.memberId(), clock.instant(), verified))
                  .compose(
                      attendance ->
                          audit
                              .record(
                                  staff.memberId(),
                                  "ATTENDANCE_RECORD",
                                  activityId,
                                  null,
                                  new JsonObject()
                                      .put("memberId", member.memberId())
                                      .put("attendance", attendance.kind()),
                                  activity.communityId())
                              .map(attendance));
            });
  }

  private Future<Attendance> enrolled(Activity activity, String memberId) {
    Attendance fresh =
        new Attendance(
            activity.activityId(),
            memberId,
            activity.communityId(),
            clock.instant(),
            null,
            null,
            false);
    return attendances
        .enroll(fresh)
        .compose(created -> created ? takeSeat(activity, memberId) : Future.succeededFuture())
        .compose(v -> attendances.find(activity.activityId(), memberId));
  }

  public Future<Void> leave(Caller caller, String activityId) {
    return visible(caller, activityId)
        .compose(
            activity ->
                attendances
                    .leave(activityId, caller.memberId())
                    .compose(
                        left ->
                            left ? activities.releaseSeat(activityId) : Future.succeededFuture()));
  }

  /**
   * With the right code (CODE activities) the attendance becomes verified; without a code it stays
   * self-reported.
   */
  public Future<Attendance> checkIn(Caller caller, String activityId, CheckIn request) {
    return presence(caller, activityId, request)
        .compose(
            activity -> {
              boolean verified = activity.checkIn() == Activity.CheckInMode.CODE;
              return attendances.checkIn(activityId, caller.memberId(), clock.instant(), verified);
            });
  }

  public Future<Attendance> checkOut(Caller caller, String activityId, CheckIn request) {
    return presence(caller, activityId, request)
        .compose(activity -> attendances.checkOut(activityId, caller.memberId(), clock.instant()));
  }

  public Future<List<Attendance>> attendance(Caller caller, String activityId) {
    return staffed(caller, activityId).compose(activity -> attendances.listByActivity(activityId));
  }

  /** The activity as the caller may see it; NOT_FOUND when it does not exist or is not for them. */
  public Future<Activity> visible(Caller caller, String activityId) {
    return activities
        .findById(activityId)
        .compose(
            activity ->
                activity != null && visibleTo(caller, activity)
                    ? Future.succeededFuture(activity)
                    : Future.failedFuture(
                        DomainException.notFound("activity", Map.of("activityId", activityId))));
  }

  public Future<PointRule> ruleOf(Activity activity) {
    return rules.findById(activity.ruleId());
  }

  private Future<Activity> presence(Caller caller, String activityId, CheckIn request) {
    return visible(caller, activityId)
        .compose(
            activity -> {
              requireOpen(activity);
              requireHours(activity);
              if (activity.checkIn() == Activity.CheckInMode.CODE) {
                requireCode(activity, caller.memberId(), request.code());
              }
              if (activity.location() != null && request.lat() == null) {
                throw new DomainException(
                    ErrorCode.LOCATION_REQUIRED, "sendLocation", Map.of("activityId", activityId));
              }
              if (activity.location() != null
                  && !activity.location().contains(request.lat(), request.lng())) {
                throw new DomainException(
                    ErrorCode.OUTSIDE_GEOFENCE,
                    "tooFar",
                    Map.of("radiusMeters", activity.location().radiusMeters()));
              }
              return attendances
                  .find(activityId, caller.memberId())
                  .map(
                      attendance -> {
                        if (attendance == null) {
                          throw new DomainException(
                              ErrorCode.NOT_ENROLLED,
                              "enrollFirst",
                              Map.of("activityId", activityId));
                        }
                        return activity;
                      });
            });
  }

  private void requireHours(Activity activity) {
    if (!activity.checkInOpenAt(clock.instant())) {
      throw new DomainException(
          ErrorCode.OUTSIDE_ACTIVITY_HOURS,
          "window",
          Map.of("startsAt", activity.startsAt(), "endsAt", activity.endsAt()));
    }
  }

  /** Wrong codes count against the limits; once one is reached, even the right code waits. */
  private void requireCode(Activity activity, String memberId, String code) {
    checkInLimits.requireAttemptLeft(activity.activityId(), memberId);
    if (code == null || !CheckInCodes.accepts(activity.checkInSecret(), code, clock.instant())) {
      checkInLimits.wrongCode(activity.activityId(), memberId);
      throw new DomainException(ErrorCode.WRONG_CHECK_IN_CODE, "askStaff", Map.of());
    }
  }

  private Future<Void> takeSeat(Activity activity, String memberId) {
    return activities
        .takeSeat(activity.activityId())
        .compose(
            taken ->
                taken
                    ? Future.succeededFuture()
                    : attendances
                        .leave(activity.activityId(), memberId)
                        .compose(
                            v ->
                                Future.failedFuture(
                                    new DomainException(
                                        ErrorCode.ACTIVITY_FULL,
                                        "noSeatLeft",
                                        Map.of("activityId", activity.activityId())))));
  }

  private Future<Activity> staffed(Caller caller, String activityId) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
    return activities
        .findById(activityId)
        .compose(
            activity ->
                activity != null && caller.staffsCommunity(activity.communityId())
                    ? Future.succeededFuture(activity)
                    : Future.failedFuture(
                        DomainException.notFound(
                            "activityInScope", Map.of("activityId", activityId))));
  }

  private Future<PointRule> activeRule(String ruleId) {
    return rules
        .findById(ruleId)
        .map(
            rule -> {
              if (rule == null || !rule.active()) {
                throw DomainException.invalidField("ruleId", "notActiveRule", Map.of());
              }
              return rule;
            });
  }

  /** A retired community keeps its activities and history but takes no new activity. */
  private void requireActive(String communityId) {
    if (organisation.organisation().activeCommunity(communityId).isEmpty()) {
      throw new DomainException(
          ErrorCode.INVALID_STATE, "communityRetired", Map.of("communityId", communityId));
    }
  }

  private void requireStaffOf(Caller caller, String communityId) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
    if (!caller.staffsCommunity(communityId)
        || organisation.organisation().community(communityId).isEmpty()) {
      throw DomainException.notFound("communityInScope", Map.of("communityId", communityId));
    }
  }

  private static void requireOpen(Activity activity) {
    if (!activity.isOpen()) {
      throw new DomainException(
          ErrorCode.INVALID_STATE,
          "activityCancelled",
          Map.of("activityId", activity.activityId()));
    }
  }

  private static void requireTimes(Instant startsAt, Instant endsAt) {
    if (!endsAt.isAfter(startsAt)) {
      throw DomainException.invalidField("endsAt", "afterStartsAt", Map.of());
    }
  }

  /**
   * PARTY activities are for verified party members (PARTY_MEMBER is granted only by verification)
   * and staff.
   */
  static boolean visibleTo(Caller caller, Activity activity) {
    return activity.type() != Category.PARTY
        || caller.has(Role.PARTY_MEMBER)
        || caller.staffsCommunity(activity.communityId());
  }

  private static String newSecret() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return Base64.getEncoder().encodeToString(secret);
  }

  private static JsonObject summary(Activity activity) {
    JsonObject json =
        new JsonObject()
            .put("type", activity.type().name())
            .put("ruleId", activity.ruleId())
            .put("startsAt", activity.startsAt().toString())
            .put("endsAt", activity.endsAt().toString())
            .put("checkIn", activity.checkIn().name())
            .put("claimsPerDay", activity.claimsPerDay())
            .put("status", activity.status().name());
    if (activity.capacity() != null) {
      json.put("capacity", activity.capacity());
    }
    return json;
  }
}
