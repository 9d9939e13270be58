package org.civicpoints.api.domain;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One leaderboard: a scope ({@code community:{id}}, {@code street:{id}}, {@code district:{id}},
 * {@code city}, {@code branch:{id}}), a period and a category (ALL or one rule category). Its
 * {@link #key()} ({@code scope|period|category}) is what standings are indexed by.
 */
public record Board(String scope, Period period, String category) {

  public static final String ALL_CATEGORIES = "ALL";

  /** The rule categories of the chaincode, in the order exports list them. */
  public static final List<String> CATEGORIES = List.of("VOLUNTEER", "STUDY", "PARTY", "CIVIC");

  private static final Pattern SCOPE =
      Pattern.compile("city|(community|street|district|branch):[a-z][a-z0-9-]{1,62}");

  public static Optional<String> parseScope(String text) {
    return text != null && SCOPE.matcher(text).matches() ? Optional.of(text) : Optional.empty();
  }

  public static Optional<String> parseCategory(String text) {
    return ALL_CATEGORIES.equals(text) || CATEGORIES.contains(text)
        ? Optional.of(text)
        : Optional.empty();
  }

  public String key() {
    return key(scope, period.key(), category);
  }

  public static String key(String scope, String periodKey, String category) {
    return scope + "|" + periodKey + "|" + category;
  }

  public boolean isAllCategories() {
    return ALL_CATEGORIES.equals(category);
  }
}
