package org.civicpoints.api.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An entry of a member's in-app inbox. */
public record InboxNotification(
    String notificationId,
    String memberId,
    NotificationKind kind,
    String title,
    String body,
    JsonObject data,
    Instant createdAt,
    Instant readAt) {}
