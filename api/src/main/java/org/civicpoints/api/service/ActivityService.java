package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.PointRules;
import org.civicpoints.api.port.Waitlist;
import org.civicpoints.api.port.Waitlist.Place;
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
  private Waitlist waitlist;
  private EvidenceService covers;
  private WaitlistSeats seats;
  private ActivityFinder finder;

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
      int claimsPerDay,
      Activity.Details details) {}

  /** Absent fields keep their value; an empty description, address or tag list clears it. */
  public record ActivityChange(
      Optional<String> title,
      Optional<Instant> startsAt,
      Optional<Instant> endsAt,
      Optional<Integer> capacity,
      Optional<GeoFence> location,
      Optional<Activity.CheckInMode> checkIn,
      Optional<Integer> claimsPerDay,
      Optional<String> description,
      Optional<String> address,
      Optional<String> coverImage,
      Optional<List<String>> tags) {

    Activity.Details applyTo(Activity.Details current) {
      return new Activity.Details(
          description.isPresent() ? blankAsNull(description.get()) : current.description(),
          address.isPresent() ? blankAsNull(address.get()) : current.address(),
          coverImage.orElse(current.coverImage()),
          tags.orElse(current.tags()));
    }

    private static String blankAsNull(String text) {
      return text.isBlank() ? null : text;
    }
  }

  public record CheckIn(String code, Double lat, Double lng) {}

  /**
   * Told once an activity's change or cancellation is stored, before the answer: enrolled members
   * hear of it. A failure to tell is logged, never a failure of the change.
   */
  public interface Changes {
    Future<Void> changed(Activity before, Activity after);

    Future<Void> cancelled(Activity cancelled);

    /** A waiting member got a seat. */
    Future<Void> admitted(Activity activity, Place place);
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

        @Override
        public Future<Void> admitted(Activity activity, Place place) {
          return Future.succeededFuture();
        }
      };

  public void tellChangesTo(Changes listener) {
    this.changes = listener;
  }

  /**
   * The parts residents use to find activities: the waitlist, the members (whose community a
   * listing starts from) and the evidence photos that become covers.
   */
  public void findWith(Waitlist waitlist, Members members, EvidenceService covers) {
    this.waitlist = waitlist;
    this.covers = covers;
    this.seats =
        new WaitlistSeats(
            activities,
            attendances,
            waitlist,
            (activity, place) -> told(changes.admitted(activity, place), activity).mapEmpty(),
            clock);
    this.finder =
        new ActivityFinder(activities, attendances, waitlist, members, organisation, clock);
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
                      now,
                      request.details());
              return attachCover(caller, activity)
                  .compose(
                      v ->
                          activities
                              .insert(activity)
                              .recover(failure -> releasedCover(activity, failure)))
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

  public Future<Page<ActivityFinder.Listed>> list(Caller caller, ActivityFinder.Query query) {
    return finder.list(caller, query);
  }

  public Future<Page<ActivityFinder.Enrollment>> myEnrollments(
      Caller caller, boolean past, String cursor, int limit) {
    return finder.mine(caller, past, cursor, limit);
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
                      clock.instant(),
                      change.applyTo(current.details()));
              requireTimes(changed.startsAt(), changed.endsAt());
              return store(caller, current, changed)
                  .compose(
                      stored ->
                          audit
                              .record(
                                  caller.memberId(),
                                  "ACTIVITY_CHANGE",
                                  activityId,
                                  summary(current),
                                  summary(stored),
                                  stored.communityId())
                              .compose(v -> told(changes.changed(current, stored), stored))
                              .compose(told -> moreSeats(current, told)));
            });
  }

  /** Seats added to a full activity go to its waitlist first. */
  private Future<Activity> moreSeats(Activity before, Activity after) {
    boolean grew =
        before.capacity() != null
            && after.capacity() != null
            && after.capacity() > before.capacity();
    return grew
        ? seats.fill(after).compose(v -> activities.findById(after.activityId()))
        : Future.succeededFuture(after);
  }

  /** A new cover is attached before the change is stored, the one it replaces released after. */
  private Future<Activity> store(Caller caller, Activity current, Activity changed) {
    String before = current.details().coverImage();
    if (Objects.equals(before, changed.details().coverImage())) {
      return updated(changed);
    }
    return attachCover(caller, changed)
        .compose(v -> updated(changed).recover(failure -> releasedCover(changed, failure)))
        .compose(
            stored ->
                before == null
                    ? Future.succeededFuture(stored)
                    : covers.releaseCover(before, stored.activityId()).map(stored));
  }

  private Future<Activity> updated(Activity changed) {
    return activities
        .update(changed)
        .map(
            stored -> {
              if (stored == null) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "activityChangedMeanwhile",
                    Map.of("activityId", changed.activityId()));
              }
              return stored;
            });
  }

  /** Only the staff member's own unattached upload can become a cover. */
  private Future<Void> attachCover(Caller caller, Activity activity) {
    String cover = activity.details().coverImage();
    return cover == null
        ? Future.succeededFuture()
        : covers.attachCover(caller, cover, activity.activityId(), activity.communityId());
  }

  /** The activity was not stored after all: its cover goes back, the failure stays. */
  private <T> Future<T> releasedCover(Activity activity, Throwable failure) {
    String cover = activity.details().coverImage();
    return (cover == null
            ? Future.<Void>succeededFuture()
            : covers.releaseCover(cover, activity.activityId()))
        .transform(released -> Future.failedFuture(failure));
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
    return attendances
        .enroll(Attendance.enrolment(activity, memberId, clock.instant()))
        .compose(
            created ->
                created
                    ? takeSeat(activity, memberId)
                        .compose(v -> waitlist.remove(activity.activityId(), memberId))
                        .<Void>mapEmpty()
                    : Future.<Void>succeededFuture())
        .compose(v -> attendances.find(activity.activityId(), memberId));
  }

  public Future<Void> leave(Caller caller, String activityId) {
    return visible(caller, activityId)
        .compose(
            activity ->
                attendances
                    .leave(activityId, caller.memberId())
                    .compose(left -> left ? seats.passOn(activity) : Future.succeededFuture()));
  }

  /**
   * Queues the caller for a seat of a full activity (joining twice keeps the first place); an
   * enrolled member or an activity with seats left is a conflict: enroll instead.
   */
  public Future<WaitlistPlace> joinWaitlist(Caller caller, String activityId) {
    return visible(caller, activityId)
        .compose(
            activity -> {
              requireOpen(activity);
              Integer seatsLeft = activity.seatsLeft();
              if (seatsLeft == null || seatsLeft > 0) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE, "seatsLeft", Map.of("activityId", activityId));
              }
              return attendances
                  .find(activityId, caller.memberId())
                  .compose(
                      enrolled -> {
                        if (enrolled != null) {
                          throw new DomainException(
                              ErrorCode.INVALID_STATE,
                              "enrolledAlready",
                              Map.of("activityId", activityId));
                        }
                        return seats.join(activity, caller.memberId());
                      })
                  .compose(place -> placeOf(activityId, place));
            });
  }

  /** Where the caller stands: still waiting (and how many before them), or enrolled meanwhile. */
  private Future<WaitlistPlace> placeOf(String activityId, Place place) {
    return place == null
        ? Future.succeededFuture(new WaitlistPlace(activityId, true, null, null))
        : waitlist
            .ahead(activityId, place.ticket())
            .map(ahead -> new WaitlistPlace(activityId, false, ahead + 1, place.joinedAt()));
  }

  /** A member's place on a waitlist: {@code position} 1 is next; null once enrolled. */
  public record WaitlistPlace(
      String activityId, boolean enrolled, Long position, Instant joinedAt) {}

  /** Leaving a waitlist one is not on is a no-op. */
  public Future<Void> leaveWaitlist(Caller caller, String activityId) {
    return visible(caller, activityId)
        .compose(activity -> waitlist.remove(activityId, caller.memberId()))
        .mapEmpty();
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
              return requireEnrolled(activityId, caller.memberId()).map(activity);
            });
  }

  /** A member checks in to, and claims points for, only an activity they enrolled in. */
  Future<Void> requireEnrolled(String activityId, String memberId) {
    return attendances
        .find(activityId, memberId)
        .map(
            attendance -> {
              if (attendance == null) {
                throw new DomainException(
                    ErrorCode.NOT_ENROLLED, "enrollFirst", Map.of("activityId", activityId));
              }
              return null;
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
                                        "joinWaitlist",
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

  /** Nothing new (an enrolment, a waitlist place, a check-in, a claim) for a cancelled activity. */
  static void requireOpen(Activity activity) {
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
