package org.civicpoints.api.config;

import java.util.List;

/** Start-up stops with one message naming every missing or invalid setting. */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(CivicEnv env, List<String> problems) {
    super(
        "Cannot start (CIVIC_ENV="
            + env.name().toLowerCase()
            + "): "
            + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
