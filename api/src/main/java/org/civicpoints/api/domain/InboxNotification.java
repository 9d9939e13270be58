package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Map;

/**
 * An entry of a member's in-app inbox: what happened (kind and data), not its words; title and body
 * are rendered when it is read, in the reader's language of that moment.
 */
public record InboxNotification(
    String notificationId,
    String memberId,
    NotificationKind kind,
    Map<String, Object> data,
    Instant createdAt,
    Instant readAt) {

  /** The same notification telling more (or other) data. */
  public InboxNotification withData(Map<String, Object> explained) {
    return new InboxNotification(notificationId, memberId, kind, explained, createdAt, readAt);
  }
}
