package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A collection's positions by the value of one field, for the field a non-unique index names first:
 * mongo-java-server's memory backend keeps no such index and scanned the whole collection for every
 * query on it (the relay looking for queued commands among all submissions).
 *
 * <p>Only string values are looked up; a document whose field holds anything else (missing, an
 * array that may contain the string, another type) is always a candidate. So the candidates for
 * {@code field = "s"} are every document that can match it, and the query itself decides.
 */
final class FieldLookup {

  private final String field;
  private final Map<String, Set<Integer>> byValue = new HashMap<>();
  private final Set<Integer> others = new TreeSet<>();

  FieldLookup(String field) {
    this.field = field;
  }

  void add(int position, Document document) {
    positionsOf(document).add(position);
  }

  void remove(int position, Document document) {
    Set<Integer> positions = positionsOf(document);
    positions.remove(position);
    if (positions.isEmpty() && positions != others) {
      byValue.remove((String) valueOf(document));
    }
  }

  /** The positions of every document that may hold {@code value} in the field, in order. */
  Set<Integer> candidates(String value) {
    Set<Integer> holding = byValue.getOrDefault(value, Set.of());
    if (others.isEmpty()) {
      return Collections.unmodifiableSet(holding);
    }
    Set<Integer> candidates = new TreeSet<>(others);
    candidates.addAll(holding);
    return candidates;
  }

  private Set<Integer> positionsOf(Document document) {
    return valueOf(document) instanceof String value
        ? byValue.computeIfAbsent(value, v -> new TreeSet<>())
        : others;
  }

  private Object valueOf(Document document) {
    return Utils.getSubdocumentValue(document, field);
  }
}
