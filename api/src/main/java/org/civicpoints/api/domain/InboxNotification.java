package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Map;

/** An entry of a member's in-app inbox. */
public record InboxNotification(
    String notificationId,
    String memberId,
    NotificationKind kind,
    String title,
    String body,
    Map<String, Object> data,
    Instant createdAt,
    Instant readAt) {}
