package org.civicpoints.api.config;

import java.time.Duration;

/**
 * Reminders of enrolled activities: sent {@code reminderLead} before the start
 * (CIVIC_REMINDER_MINUTES, default 60), looked for every {@code reminderPeriod}
 * (CIVIC_REMINDER_PERIOD_SECONDS, default 30).
 */
public record NoticeConfig(Duration reminderLead, Duration reminderPeriod) {}
