package org.civicpoints.api.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Who the identity provider vouches for: its uid, for phone sign-in the phone number, and when the
 * user last authenticated ({@code auth_time}), which later revocations are compared with.
 */
public record VerifiedIdentity(String uid, Optional<String> phone, Instant authTime) {}
