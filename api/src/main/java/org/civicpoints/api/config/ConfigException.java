package org.civicpoints.api.config;

import java.util.List;

/** Start-up stops with one message naming every missing or invalid setting. */
public final class ConfigException extends RuntimeException {

  private final List<String> problems;

  public ConfigException(CivicEnv env, List<String> problems) {
    this(
        "Cannot start (CIVIC_ENV=" + env.name().toLowerCase() + "): " + String.join("; ", problems),
        problems);
  }

  private ConfigException(String message, List<String> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  /** Production settings without CIVIC_ENV: the server neither guesses dev nor prod. */
  static ConfigException envUnset(List<String> productionSettings) {
    String problem =
        "CIVIC_ENV is unset but "
            + String.join(", ", productionSettings)
            + (productionSettings.size() == 1 ? " is" : " are")
            + " set: set CIVIC_ENV=prod for a production server"
            + " (or CIVIC_ENV=dev to develop against these services)";
    return new ConfigException("Cannot start: " + problem, List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
