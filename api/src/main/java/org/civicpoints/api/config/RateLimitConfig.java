package org.civicpoints.api.config;

/** Sign-in attempts allowed per minute, per client IP and per phone number. */
public record RateLimitConfig(int perIpPerMinute, int perPhonePerMinute) {}
