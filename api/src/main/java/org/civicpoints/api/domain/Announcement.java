package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * News for the residents of an org unit ({@code scopeId}: a community, or a street, district or the
 * city for every community below it). {@code link} points at an activity or a reward (null: none);
 * {@code until} null: shown until removed; pinned ones are listed first.
 */
public record Announcement(
    String announcementId,
    String scopeId,
    String title,
    String body,
    Link link,
    boolean pinned,
    Instant until,
    String createdBy,
    Instant createdAt) {

  public record Link(Kind kind, String id) {
    public enum Kind {
      ACTIVITY,
      REWARD
    }
  }
}
