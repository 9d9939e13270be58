package org.civicpoints.api.port;

import io.vertx.core.Future;
import org.civicpoints.api.domain.NotificationPreferences;

/** Members' notification preferences; a member who never chose has {@code ALL}. */
public interface NotificationSettings {

  Future<NotificationPreferences> of(String memberId);

  /** Sets the topics given (null: unchanged); answers the preferences now. */
  Future<NotificationPreferences> change(
      String memberId, Boolean reminders, Boolean announcements, Boolean results);
}
