package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Notifier.Notice;

/**
 * What enrolled members are told about an activity: a reminder {@code lead} before it starts, and a
 * notice when its time or place changes or it is cancelled.
 *
 * <p>Reminders are a {@link LeasedJob} (one instance looks at a time). Every notice's id comes from
 * its key (activity, start time, member), so a second round, a restart or a second instance never
 * tells anyone twice; a rescheduled activity reminds again for its new start. A cancelled activity
 * is never looked at.
 */
public final class ActivityNotices implements ActivityService.Changes {

  static final String JOB = "activity-reminders";
  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Activities activities;
  private final Attendances attendances;
  private final Notifier notifier;
  private final Duration lead;
  private final ZoneId zone;
  private final LeasedJob job;

  public ActivityNotices(
      Activities activities,
      Attendances attendances,
      Notifier notifier,
      LeasedJob.Runner jobs,
      Duration lead,
      Duration period) {
    this.activities = activities;
    this.attendances = attendances;
    this.notifier = notifier;
    this.lead = lead;
    this.zone = jobs.clock().getZone();
    this.job = jobs.every(period, JOB, this::remindStartingBy);
  }

  public void start() {
    job.start();
  }

  public Future<Void> stop() {
    return job.stop();
  }

  /** A round: reminds the members of every open activity starting soon. */
  private Future<Void> remindStartingBy(Instant now) {
    return activities
        .openStartingBetween(now, now.plus(lead))
        .compose(soon -> Future.all(soon.stream().map(this::remind).toList()).<Void>mapEmpty());
  }

  private Future<Void> remind(Activity activity) {
    return tellEnrolled(
        activity,
        NotificationKind.ACTIVITY_REMINDER,
        "reminder:" + activity.activityId() + ":" + activity.startsAt());
  }

  /** Only a new time or place is news; a new title or capacity is not. */
  @Override
  public Future<Void> changed(Activity before, Activity after) {
    boolean news =
        !before.startsAt().equals(after.startsAt())
            || !before.endsAt().equals(after.endsAt())
            || !Objects.equals(before.location(), after.location());
    return news
        ? tellEnrolled(
            after,
            NotificationKind.ACTIVITY_CHANGED,
            "changed:" + after.activityId() + ":" + after.updatedAt())
        : Future.succeededFuture();
  }

  @Override
  public Future<Void> cancelled(Activity cancelled) {
    return tellEnrolled(
        cancelled, NotificationKind.ACTIVITY_CANCELLED, "cancelled:" + cancelled.activityId());
  }

  private Future<Void> tellEnrolled(Activity activity, NotificationKind kind, String key) {
    JsonObject data = data(activity);
    return attendances
        .listByActivity(activity.activityId())
        .compose(
            enrolled -> {
              List<Notice> notices =
                  enrolled.stream()
                      .map(
                          attendance ->
                              new Notice(
                                  key + ":" + attendance.memberId(),
                                  attendance.memberId(),
                                  kind,
                                  data))
                      .toList();
              return notifier.notifyOnce(notices);
            });
  }

  /** The start as a local time in the server's zone: the words say it, the app may re-format. */
  private JsonObject data(Activity activity) {
    return new JsonObject()
        .put("activityId", activity.activityId())
        .put("activityTitle", activity.title())
        .put("startsAt", activity.startsAt().toString())
        .put("startsAtLocal", LOCAL_TIME.format(activity.startsAt().atZone(zone)));
  }
}
