package org.civicpoints.api.domain;

/**
 * Which notifications a member wants pushed to their devices, by topic; everything is pushed until
 * they say otherwise. The inbox keeps every notification whatever they choose.
 */
public record NotificationPreferences(boolean reminders, boolean announcements, boolean results) {

  public static final NotificationPreferences ALL = new NotificationPreferences(true, true, true);

  public boolean pushes(NotificationKind kind) {
    return switch (kind.topic()) {
      case REMINDERS -> reminders;
      case ANNOUNCEMENTS -> announcements;
      case RESULTS -> results;
    };
  }
}
