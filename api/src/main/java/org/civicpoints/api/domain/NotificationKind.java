package org.civicpoints.api.domain;

/** What a notification tells its member about one of their submissions. */
public enum NotificationKind {
  SUBMISSION_RECORDED("Points recorded", "Your points are on the ledger."),
  SUBMISSION_CAPPED("Points recorded, capped", "A cap limited the points of your submission."),
  SUBMISSION_REJECTED("Submission rejected", "Staff rejected your submission."),
  SUBMISSION_REVERSED("Points reversed", "Staff reversed the points of your submission."),
  SUBMISSION_FAILED("Submission not recorded", "The ledger refused your submission.");

  private final String title;
  private final String body;

  NotificationKind(String title, String body) {
    this.title = title;
    this.body = body;
  }

  public String title() {
    return title;
  }

  public String body() {
    return body;
  }
}
