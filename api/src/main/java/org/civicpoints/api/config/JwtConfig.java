package org.civicpoints.api.config;

import java.nio.file.Path;
import java.time.Duration;

/** Access tokens: signing keys (a JWK set file), issuer, audience and lifetimes. */
public record JwtConfig(
    Path keyFile,
    String issuer,
    String audience,
    Duration accessTokenTtl,
    Duration refreshTokenTtl) {}
