package org.civicpoints.api.http;

import static org.civicpoints.api.http.Views.putIfPresent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.AuditRecord;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.service.ActivityFinder.Enrollment;
import org.civicpoints.api.service.ActivityFinder.Listed;
import org.civicpoints.api.service.ActivityService.WaitlistPlace;
import org.civicpoints.api.service.NotificationService.Rendered;
import org.civicpoints.api.service.SubmissionService.SubmissionView;

/**
 * Rules, activities, submissions, audit records and notifications as the contract's schemas. Absent
 * values are left out, never null; the check-in secret and idempotency data never appear.
 */
final class CatalogViews {

  private CatalogViews() {}

  static JsonObject rule(PointRule rule) {
    return new JsonObject()
        .put("ruleId", rule.ruleId())
        .put("version", rule.version())
        .put("category", rule.category().name())
        .put("points", rule.points())
        .put("dailyCap", rule.dailyCap())
        .put("yearlyCap", rule.yearlyCap())
        .put("title", rule.title())
        .put("active", rule.active())
        .put("ledgerState", rule.ledgerState())
        .put("createdAt", rule.createdAt().toString())
        .put("updatedAt", rule.updatedAt().toString());
  }

  static JsonObject activity(Activity activity) {
    JsonObject json =
        new JsonObject()
            .put("activityId", activity.activityId())
            .put("communityId", activity.communityId())
            .put("type", activity.type().name())
            .put("title", activity.title())
            .put("ruleId", activity.ruleId())
            .put("startsAt", activity.startsAt().toString())
            .put("endsAt", activity.endsAt().toString())
            .put("enrolled", activity.enrolled())
            .put("checkIn", activity.checkIn().name())
            .put("claimsPerDay", activity.claimsPerDay())
            .put("status", activity.status().name());
    putIfPresent(json, "capacity", activity.capacity());
    putIfPresent(json, "seatsLeft", activity.seatsLeft());
    putIfPresent(json, "description", activity.details().description());
    putIfPresent(json, "address", activity.details().address());
    putIfPresent(json, "coverImage", activity.details().coverImage());
    json.put("tags", new JsonArray(activity.details().tags()));
    if (activity.location() != null) {
      json.put(
          "location",
          new JsonObject()
              .put("lat", activity.location().lat())
              .put("lng", activity.location().lng())
              .put("radiusMeters", activity.location().radiusMeters()));
    }
    return json;
  }

  /** A listed activity says where the caller stands and, searched near a point, how far it is. */
  static JsonObject listed(Listed listed) {
    JsonObject json = activity(listed.activity()).put("myEnrollment", listed.mine().name());
    if (listed.distanceMeters() != null) {
      json.put("distanceMeters", Math.round(listed.distanceMeters()));
    }
    return json;
  }

  static JsonObject enrollment(Enrollment enrollment) {
    JsonObject json =
        new JsonObject()
            .put("activity", activity(enrollment.activity()))
            .put("status", enrollment.status().name())
            .put("since", enrollment.since().toString());
    if (enrollment.attendance() != null) {
      json.put("attendance", enrollment.attendance().kind());
      putIfPresent(json, "checkedInAt", enrollment.attendance().checkedInAt());
      putIfPresent(json, "checkedOutAt", enrollment.attendance().checkedOutAt());
    }
    return json;
  }

  static JsonObject waitlistPlace(WaitlistPlace place) {
    JsonObject json =
        new JsonObject()
            .put("activityId", place.activityId())
            .put("status", place.enrolled() ? "ENROLLED" : "WAITLISTED");
    putIfPresent(json, "position", place.position());
    putIfPresent(json, "joinedAt", place.joinedAt());
    return json;
  }

  static JsonObject attendance(Attendance attendance) {
    JsonObject json =
        new JsonObject()
            .put("activityId", attendance.activityId())
            .put("memberId", attendance.memberId())
            .put("enrolledAt", attendance.enrolledAt().toString())
            .put("attendance", attendance.kind());
    putIfPresent(json, "checkedInAt", attendance.checkedInAt());
    putIfPresent(json, "checkedOutAt", attendance.checkedOutAt());
    return json;
  }

  static JsonObject submission(SubmissionView view) {
    JsonObject json = submission(view.submission());
    json.put("attendance", view.attendance() == null ? "SELF_REPORTED" : view.attendance().kind());
    return json;
  }

  /** Listings leave the attendance out (it is one more lookup per item); the single view has it. */
  static JsonObject submission(Submission submission) {
    JsonObject json =
        new JsonObject()
            .put("submissionId", submission.submissionId())
            .put("memberId", submission.memberId())
            .put("activityId", submission.activityId())
            .put("communityId", submission.communityId())
            .put("ruleId", submission.ruleId())
            .put("ruleVersion", submission.ruleVersion())
            .put("category", submission.category().name())
            .put("units", submission.units())
            .put("occurredOn", submission.occurredOn().toString())
            .put("requestedPoints", submission.requestedPoints())
            .put("status", submission.status().name())
            .put("origin", submission.origin())
            .put("createdAt", submission.createdAt().toString())
            .put("updatedAt", submission.updatedAt().toString());
    putIfPresent(json, "evidence", submission.evidence());
    putIfPresent(json, "approvedBy", submission.approvedBy());
    putIfPresent(json, "approvedAt", submission.approvedAt());
    putIfPresent(json, "rejectionReason", submission.rejectionReason());
    putIfPresent(json, "reversal", submission.reversalState());
    putIfPresent(json, "ledger", submission.ledger());
    putIfPresent(json, "activityTitle", submission.activityTitle());
    putIfPresent(json, "reversalReason", submission.reversalReason());
    putIfPresent(json, "cap", submission.cap());
    putIfPresent(json, "filedBy", submission.filedBy());
    return json;
  }

  static JsonObject auditRecord(AuditRecord record) {
    JsonObject json =
        new JsonObject()
            .put("auditId", record.auditId())
            .put("actor", record.actor())
            .put("action", record.action())
            .put("at", record.at().toString());
    putIfPresent(json, "target", record.target());
    putIfPresent(json, "before", record.before());
    putIfPresent(json, "after", record.after());
    putIfPresent(json, "communityId", record.communityId());
    return json;
  }

  static JsonObject notification(InboxNotification notification, Rendered words) {
    JsonObject json =
        new JsonObject()
            .put("notificationId", notification.notificationId())
            .put("kind", notification.kind().name())
            .put("title", words.title())
            .put("body", words.body())
            .put("data", notification.data())
            .put("createdAt", notification.createdAt().toString());
    putIfPresent(json, "readAt", notification.readAt());
    return json;
  }

  static <T> JsonObject page(Page<T> page, Function<T, JsonObject> view) {
    JsonObject json = Views.items(page.items(), view);
    putIfPresent(json, "nextCursor", page.nextCursor());
    return json;
  }
}
