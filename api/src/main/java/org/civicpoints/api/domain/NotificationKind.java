package org.civicpoints.api.domain;

/**
 * What a notification tells its member: about one of their submissions, or about an activity they
 * enrolled in (a reminder before it starts, a change of time or place, its cancellation). Its words
 * are in the message catalogue ("notification.{KIND}.title" and ".body", filled from the
 * notification's data).
 */
public enum NotificationKind {
  SUBMISSION_RECORDED,
  SUBMISSION_CAPPED,
  SUBMISSION_REJECTED,
  SUBMISSION_REVERSED,
  SUBMISSION_FAILED,
  ACTIVITY_REMINDER,
  ACTIVITY_CHANGED,
  ACTIVITY_CANCELLED
}
