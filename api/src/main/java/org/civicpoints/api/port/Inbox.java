package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Page;

/** Members' in-app notifications in "notifications". */
public interface Inbox {

  Future<Void> createIndexes();

  Future<Void> add(InboxNotification notification);

  Future<Page<InboxNotification>> listOfMember(String memberId, Cursor after, int limit);

  /** Marks the member's own notification read; null when they have none with this id. */
  Future<InboxNotification> markRead(String memberId, String notificationId, Instant at);
}
