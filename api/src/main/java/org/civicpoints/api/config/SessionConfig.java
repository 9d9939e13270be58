package org.civicpoints.api.config;

import java.time.Duration;

/**
 * Refresh sessions: how long a sign-in lasts at most, however often it is refreshed (RFC 9700
 * section 4.14.2), within {@link #MIN_ABSOLUTE_LIFETIME} and {@link #MAX_ABSOLUTE_LIFETIME}.
 */
public record SessionConfig(Duration refreshAbsoluteLifetime) {

  public static final Duration MIN_ABSOLUTE_LIFETIME = Duration.ofHours(1);
  public static final Duration MAX_ABSOLUTE_LIFETIME = Duration.ofDays(90);
}
