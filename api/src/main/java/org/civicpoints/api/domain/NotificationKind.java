package org.civicpoints.api.domain;

/**
 * What a notification tells its member: about one of their submissions, or about an activity they
 * enrolled in (a reminder before it starts, a change of time or place, its cancellation). Its words
 * are in the message catalogue ("notification.{KIND}.title" and ".body", filled from the
 * notification's data).
 */
public enum NotificationKind {
  SUBMISSION_RECORDED(Topic.RESULTS),
  SUBMISSION_CAPPED(Topic.RESULTS),
  SUBMISSION_REJECTED(Topic.RESULTS),
  SUBMISSION_REVERSED(Topic.RESULTS),
  SUBMISSION_FAILED(Topic.RESULTS),
  ACTIVITY_REMINDER(Topic.REMINDERS),
  ACTIVITY_CHANGED(Topic.REMINDERS),
  ACTIVITY_CANCELLED(Topic.REMINDERS),
  /** A seat of a full activity passed to the member from its waitlist: they are enrolled. */
  WAITLIST_ADMITTED(Topic.REMINDERS),
  ANNOUNCEMENT(Topic.ANNOUNCEMENTS),
  /** Points of an earning year expire soon (30 and 7 days before the end of their last day). */
  POINTS_EXPIRING(Topic.REMINDERS),
  /** Recorded volunteer hours reached a star of the volunteer star scheme (ServiceLevel). */
  SERVICE_STAR_REACHED(Topic.RESULTS),
  /** Recorded study units reached a study milestone (ServiceLevel). */
  STUDY_MILESTONE_REACHED(Topic.RESULTS);

  /** What a member can turn push off for (NotificationPreferences). */
  public enum Topic {
    RESULTS,
    REMINDERS,
    ANNOUNCEMENTS
  }

  private final Topic topic;

  NotificationKind(Topic topic) {
    this.topic = topic;
  }

  public Topic topic() {
    return topic;
  }
}
