package org.civicpoints.api.port;

import java.util.Optional;

/** Who the identity provider vouches for: its uid and, for phone sign-in, the phone number. */
public record VerifiedIdentity(String uid, Optional<String> phone) {}
