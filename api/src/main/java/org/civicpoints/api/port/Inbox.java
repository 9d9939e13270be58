package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Page;

/** Members' in-app notifications in "notifications". */
public interface Inbox {

  Future<Void> add(InboxNotification notification);

  /** Adds those not in the inbox yet (by notification id); answers the ones it added. */
  Future<List<InboxNotification>> addNew(List<InboxNotification> notifications);

  Future<Page<InboxNotification>> listOfMember(String memberId, Cursor after, int limit);

  /** How many of the member's notifications are not read yet. */
  Future<Long> countUnread(String memberId);

  /** Marks every unread notification of the member read; answers how many it marked. */
  Future<Long> markAllRead(String memberId, Instant at);

  /** Marks the member's own notification read; null when they have none with this id. */
  Future<InboxNotification> markRead(String memberId, String notificationId, Instant at);
}
