package org.civicpoints.api.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Something to say to a person, rendered in their language only at the edge: a catalogue key with
 * named arguments ({@code {activityId}} in the catalogue), or a literal that has no translation
 * yet.
 */
public sealed interface Text {

  /** A catalogue entry; arguments fill its {@code {name}} placeholders. */
  record Keyed(String key, Map<String, Object> args) implements Text {
    public Keyed {
      // A TreeMap keeps a missing (null) argument instead of failing the failure being reported.
      args = Collections.unmodifiableMap(new TreeMap<>(args));
    }

    @Override
    public String toString() {
      return args.isEmpty() ? key : key + " " + args;
    }
  }

  /**
   * Said as is in every language: only the json-schema validator's own message, for a keyword the
   * catalogue does not word.
   */
  record Literal(String text) implements Text {
    @Override
    public String toString() {
      return text;
    }
  }

  static Text of(String key, Map<String, ?> args) {
    return new Keyed(key, new TreeMap<>(args));
  }

  static Text of(String key) {
    return new Keyed(key, Map.of());
  }

  static Text literal(String text) {
    return new Literal(text);
  }
}
