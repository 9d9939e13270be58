package org.civicpoints.api.port;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.civicpoints.api.domain.NotificationKind;

/**
 * Tells a member that something happened to one of their submissions: an entry in their in-app
 * inbox and, when push is configured, a message to each of their devices. A push that fails is
 * logged, never a failure of the caller: the inbox entry is the record.
 */
public interface Notifier {

  /** Something to tell a member once: notices with the same key become one notification. */
  record Notice(String key, String memberId, NotificationKind kind, JsonObject data) {}

  Future<Void> notify(String memberId, NotificationKind kind, JsonObject data);

  /**
   * Each notice's inbox entry and push, unless its key was told before (replays tell nobody twice).
   */
  Future<Void> notifyOnce(List<Notice> notices);
}
