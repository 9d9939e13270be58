package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.CivicCalendar;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.FieldError;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Submissions;

/**
 * Residents submit claims of points for activities, idempotently: the first answer to an
 * Idempotency-Key is remembered (the unique index on member and key makes concurrent duplicates one
 * submission); the same key with another body is refused. Only successful creations are remembered:
 * a refused request may be retried with the same key. A member has at most the activity's {@code
 * claimsPerDay} claims of it a day (a unique index on the claim slots, so concurrent claims with
 * different keys cannot exceed it), each of at most the hours the activity lasted that day.
 */
public final class SubmissionService {

  private final Submissions submissions;
  private final ActivityService activities;
  private final Attendances attendances;
  private final EvidenceService evidence;
  private final AuditLog audit;
  private final Clock clock;
  private final CivicCalendar calendar;

  public SubmissionService(
      Submissions submissions,
      ActivityService activities,
      Attendances attendances,
      EvidenceService evidence,
      AuditLog audit,
      Clock clock) {
    this.submissions = submissions;
    this.activities = activities;
    this.attendances = attendances;
    this.evidence = evidence;
    this.audit = audit;
    this.clock = clock;
    this.calendar = new CivicCalendar(clock);
  }

  public record NewSubmission(
      String activityId, LocalDate occurredOn, int units, JsonObject evidence) {}

  /**
   * A submission with the caller-visible attendance of its member (null when they never enrolled).
   */
  public record SubmissionView(Submission submission, Attendance attendance) {}

  /**
   * Who a claim is for ({@code member}, as activities see them) and who files it: the member
   * themselves, or staff for an assisted resident (a PROXY claim, under the same rules).
   */
  public record Claimant(Caller member, Caller filer) {

    public static Claimant self(Caller caller) {
      return new Claimant(caller, caller);
    }

    String filedBy() {
      return filer.memberId().equals(member.memberId()) ? null : filer.memberId();
    }
  }

  public Future<Submission> submit(Caller caller, String idempotencyKey, NewSubmission request) {
    return submit(Claimant.self(caller), idempotencyKey, request);
  }

  /**
   * The same idempotency, eligibility, one-claim-per-day and cap rules for everyone: keys are the
   * member's, whoever files.
   */
  public Future<Submission> submit(
      Claimant claimant, String idempotencyKey, NewSubmission request) {
    String hash = hash(request);
    return submissions
        .findByIdempotencyKey(claimant.member().memberId(), idempotencyKey)
        .compose(
            earlier ->
                earlier != null
                    ? replay(earlier, hash)
                    : create(claimant, idempotencyKey, hash, request));
  }

  public Future<SubmissionView> get(Caller caller, String submissionId) {
    return visible(caller, submissionId).compose(this::withAttendance);
  }

  /** The submission, if the caller is its member or staffs its community; else not found. */
  public Future<Submission> visible(Caller caller, String submissionId) {
    return submissions
        .findById(submissionId)
        .compose(
            submission -> {
              if (submission == null
                  || !(submission.memberId().equals(caller.memberId())
                      || caller.staffsCommunity(submission.communityId()))) {
                return Future.failedFuture(
                    DomainException.notFound("submission", Map.of("submissionId", submissionId)));
              }
              return Future.succeededFuture(submission);
            });
  }

  /** The caller's own submissions among {@code submissionIds}, by id (others' are left out). */
  public Future<Map<String, Submission>> ownByIds(Caller caller, List<String> submissionIds) {
    if (submissionIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return submissions
        .findByIds(submissionIds)
        .map(
            found ->
                found.stream()
                    .filter(submission -> submission.memberId().equals(caller.memberId()))
                    .collect(Collectors.toMap(Submission::submissionId, submission -> submission)));
  }

  public Future<Page<Submission>> listMine(Caller caller, String cursor, int limit) {
    return submissions.listOfMember(caller.memberId(), Cursor.decode(cursor), limit);
  }

  /** The approval queue of one community (staff of it, admins). */
  public Future<Page<Submission>> listOfCommunity(
      Caller caller, String communityId, SubmissionStatus status, String cursor, int limit) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
    if (!caller.staffsCommunity(communityId)) {
      throw DomainException.notFound("communityInScope", Map.of("communityId", communityId));
    }
    return submissions.listOfCommunity(communityId, status, Cursor.decode(cursor), limit);
  }

  public Future<SubmissionView> withAttendance(Submission submission) {
    return attendances
        .find(submission.activityId(), submission.memberId())
        .map(attendance -> new SubmissionView(submission, attendance));
  }

  private static Future<Submission> replay(Submission earlier, String hash) {
    return Idempotent.replay(earlier, earlier.requestHash().equals(hash), "submission");
  }

  private Future<Submission> create(
      Claimant claimant, String key, String hash, NewSubmission request) {
    Caller member = claimant.member();
    return activities
        .visible(member, request.activityId())
        .compose(activity -> requireEligible(member, activity, request).map(activity))
        .compose(
            activity ->
                activities
                    .ruleOf(activity)
                    .map(rule -> newSubmission(claimant, key, hash, request, activity, rule))
                    .compose(
                        submission ->
                            withPhotos(
                                claimant.filer(),
                                submission,
                                photosOf(request),
                                () -> claim(submission, hash, activity.claimsPerDay()))));
  }

  /**
   * The photos are attached before the submission is stored (so no two claims can share one) and
   * given back when it is not: refused, or answered by an earlier request with the same key.
   */
  private Future<Submission> withPhotos(
      Caller caller,
      Submission submission,
      List<String> photos,
      Supplier<Future<Submission>> store) {
    if (photos.isEmpty()) {
      return store.get();
    }
    String id = submission.submissionId();
    Future<Submission> stored =
        evidence.attach(caller, photos, id, submission.communityId()).compose(v -> store.get());
    return stored.transform(
        done ->
            done.succeeded() && done.result().submissionId().equals(id)
                ? stored
                : evidence.release(id).transform(released -> stored));
  }

  private static List<String> photosOf(NewSubmission request) {
    JsonArray photos =
        request.evidence() == null ? null : request.evidence().getJsonArray("photos");
    return photos == null ? List.of() : photos.stream().map(String.class::cast).toList();
  }

  /**
   * Tries the day's claim slots from the first likely free one (after those held), wrapping around,
   * since a rejection frees a slot anywhere.
   */
  private Future<Submission> claim(Submission submission, String hash, int slots) {
    Future<Integer> held =
        slots == 1
            ? Future.succeededFuture(0)
            : submissions.claimsHeld(
                submission.memberId(), submission.activityId(), submission.occurredOn(), slots);
    return held.compose(start -> claim(submission, hash, slots, start % slots, 0));
  }

  /**
   * Inserts the submission into claim slot {@code slot}, else the next. A slot refused because a
   * concurrent request with the same key won is answered as a replay of that request.
   */
  private Future<Submission> claim(
      Submission submission, String hash, int slots, int slot, int tried) {
    return submissions
        .insert(submission, slot)
        .compose(
            inserted ->
                inserted
                    ? auditProxy(submission)
                    : submissions
                        .findByIdempotencyKey(submission.memberId(), submission.idempotencyKey())
                        .compose(
                            winner -> {
                              if (winner != null) {
                                return replay(winner, hash);
                              }
                              return tried + 1 < slots
                                  ? claim(submission, hash, slots, (slot + 1) % slots, tried + 1)
                                  : alreadyClaimed(submission, slots);
                            }));
  }

  /** A PROXY claim is audited as its filer's action, once, when it is stored. */
  private Future<Submission> auditProxy(Submission created) {
    if (created.filedBy() == null) {
      return Future.succeededFuture(created);
    }
    return audit
        .record(
            created.filedBy(),
            "SUBMISSION_PROXY_CLAIM",
            created.submissionId(),
            null,
            new JsonObject()
                .put("status", created.status().name())
                .put("memberId", created.memberId())
                .put("requestedPoints", created.requestedPoints())
                .put("origin", created.origin()),
            created.communityId())
        .map(created);
  }

  private Future<Submission> alreadyClaimed(Submission refused, int slots) {
    return submissions
        .firstClaim(refused.memberId(), refused.activityId(), refused.occurredOn(), slots)
        .map(
            first -> {
              throw new DomainException(
                  ErrorCode.ALREADY_CLAIMED,
                  Text.of(
                      "ALREADY_CLAIMED.claimed",
                      Map.of(
                          "activityId", refused.activityId(),
                          "day", refused.occurredOn(),
                          "times", slots)),
                  List.of(),
                  first == null ? Map.of() : Map.of("submissionId", first.submissionId()));
            });
  }

  private Future<Void> requireEligible(Caller caller, Activity activity, NewSubmission request) {
    ActivityService.requireOpen(activity);
    LocalDate first = calendar.dayOf(activity.startsAt());
    LocalDate last = calendar.dayOf(activity.endsAt());
    if (request.occurredOn().isBefore(first) || request.occurredOn().isAfter(last)) {
      throw DomainException.invalidField(
          "occurredOn", "outsideActivityDates", Map.of("first", first, "last", last));
    }
    if (request.occurredOn().isAfter(calendar.today())) {
      throw DomainException.invalidField("occurredOn", "inFuture", Map.of());
    }
    int maxUnits = activity.maxUnitsOn(request.occurredOn(), calendar.zone());
    if (request.units() > maxUnits) {
      throw new DomainException(
          ErrorCode.TOO_MANY_UNITS,
          Text.of(
              "TOO_MANY_UNITS.lasted",
              Map.of("activityId", activity.activityId(), "hours", maxUnits)),
          List.of(FieldError.of("units", "atMostUnits", Map.of("max", maxUnits))));
    }
    if (activity.checkIn() == Activity.CheckInMode.NONE) {
      return Future.succeededFuture();
    }
    return activities.requireEnrolled(activity.activityId(), caller.memberId());
  }

  private Submission newSubmission(
      Claimant claimant,
      String key,
      String hash,
      NewSubmission request,
      Activity activity,
      PointRule rule) {
    if (rule == null || !rule.active()) {
      throw new DomainException(
          ErrorCode.INVALID_STATE, "ruleInactive", Map.of("activityId", activity.activityId()));
    }
    Instant now = clock.instant();
    return new Submission(
        Ids.submissionId(),
        claimant.member().memberId(),
        activity.activityId(),
        activity.communityId(),
        rule.ruleId(),
        rule.version(),
        rule.category(),
        request.units(),
        request.occurredOn(),
        Math.multiplyExact(rule.points(), request.units()),
        request.evidence() == null ? null : request.evidence().getMap(),
        SubmissionStatus.PENDING,
        key,
        hash,
        now,
        now,
        null,
        null,
        null,
        null,
        null,
        null,
        activity.title(),
        null,
        claimant.filedBy());
  }

  /** SHA-256 of the request with object keys sorted, so the same content always hashes the same. */
  static String hash(NewSubmission request) {
    JsonObject canonical =
        new JsonObject()
            .put("activityId", request.activityId())
            .put("occurredOn", request.occurredOn().toString())
            .put("units", request.units())
            .put("evidence", request.evidence() == null ? null : canonical(request.evidence()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
    }
  }

  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
      return new JsonObject(new java.util.LinkedHashMap<>(sorted));
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(canonical(item)));
      return copy;
    }
    return value;
  }
}
