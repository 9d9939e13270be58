package org.civicpoints.api.domain;

/**
 * What a notification tells its member about one of their submissions. Its words are in the message
 * catalogue ("notification.{KIND}.title" and ".body", filled from the notification's data).
 */
public enum NotificationKind {
  SUBMISSION_RECORDED,
  SUBMISSION_CAPPED,
  SUBMISSION_REJECTED,
  SUBMISSION_REVERSED,
  SUBMISSION_FAILED,
  /** Points of an earning year expire soon (30 and 7 days before the end of their last day). */
  POINTS_EXPIRING
}
