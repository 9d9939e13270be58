package org.civicpoints.api.port;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.civicpoints.api.domain.NotificationKind;

/**
 * Tells a member that something happened to one of their submissions: an entry in their in-app
 * inbox and, when push is configured, a message to each of their devices. A push that fails is
 * logged, never a failure of the caller: the inbox entry is the record.
 */
public interface Notifier {

  Future<Void> notify(String memberId, NotificationKind kind, JsonObject data);
}
