package org.civicpoints.api.config;

import java.util.Optional;

/** An absent uri means: start the embedded store. */
public record MongoConfig(Optional<String> uri, String database) {}
