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
  SUBMISSION_FAILED
}
