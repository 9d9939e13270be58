package org.civicpoints.chaincode;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.json.JSONObject;

/**
 * A member's points by earning year: {@code live} holds what is left of each year's lot (their sum
 * is the balance; a reversal after spending may leave a lot negative, a debt), {@code expired} the
 * years whose lot has expired. Immutable: every change returns new lots.
 */
record Lots(NavigableMap<Integer, Long> live, NavigableSet<Integer> expired) {

  Lots {
    live = Collections.unmodifiableNavigableMap(new TreeMap<>(live));
    expired = Collections.unmodifiableNavigableSet(new TreeSet<>(expired));
  }

  /** What a spend took from which lot, and the lots after it. */
  record Taken(Map<Integer, Long> byYear, Lots after) {}

  static Lots none() {
    return new Lots(new TreeMap<>(), new TreeSet<>());
  }

  /**
   * An account written before lots existed: its whole balance becomes the lot of the year of its
   * last change, as the migration rule documented in the README says.
   */
  static Lots migrated(final long balance, final String updatedAt) {
    final TreeMap<Integer, Long> live = new TreeMap<>();
    if (balance != 0) {
      live.put(Integer.parseInt(updatedAt.substring(0, 4)), balance);
    }
    return new Lots(live, new TreeSet<>());
  }

  boolean isExpired(final int year) {
    return expired.contains(year);
  }

  long left(final int year) {
    return live.getOrDefault(year, 0L);
  }

  /**
   * What each lot touched by a change from {@code before} to these lots holds now: the {@code
   * moved} years and every year live before or after (a lot that emptied or took a debt included).
   * A migrated account's first change names its migrated lot this way.
   */
  NavigableMap<Integer, Long> leftAfter(final Lots before, final Set<Integer> moved) {
    final TreeMap<Integer, Long> left = new TreeMap<>();
    final TreeSet<Integer> years = new TreeSet<>(moved);
    years.addAll(before.live.keySet());
    years.addAll(live.keySet());
    years.forEach(year -> left.put(year, left(year)));
    return left;
  }

  /** Adds to a year's lot, or takes from it when {@code points} is negative. */
  Lots add(final int year, final long points) {
    final TreeMap<Integer, Long> next = new TreeMap<>(live);
    final long left = Points.add(left(year), points);
    if (left == 0) {
      next.remove(year);
    } else {
      next.put(year, left);
    }
    return new Lots(next, expired);
  }

  /** Takes {@code points} from the oldest lots with points left; the caller checked the balance. */
  Taken takeOldest(final long points) {
    final TreeMap<Integer, Long> taken = new TreeMap<>();
    Lots after = this;
    long missing = points;
    for (final Map.Entry<Integer, Long> lot : live.entrySet()) {
      final long part = Math.min(missing, Math.max(0, lot.getValue()));
      if (part > 0) {
        taken.put(lot.getKey(), part);
        after = after.add(lot.getKey(), -part);
        missing -= part;
      }
    }
    if (missing > 0) {
      throw new IllegalStateException("the lots hold less than the balance");
    }
    return new Taken(taken, after);
  }

  /**
   * Takes back points earned in {@code year}. When that lot has expired, its points are gone
   * already; the debt goes to the youngest live lot (or {@code fallbackYear}) so the balance stays
   * the sum of the lots.
   */
  Lots takeBack(final int year, final long points, final int fallbackYear) {
    return add(isExpired(year) ? debtYear(fallbackYear) : year, -points);
  }

  /** Closes a year's lot: what was left (at least 0) expires; a debt moves to a younger lot. */
  Lots expire(final int year, final int fallbackYear) {
    final long left = left(year);
    final TreeMap<Integer, Long> next = new TreeMap<>(live);
    next.remove(year);
    final TreeSet<Integer> closed = new TreeSet<>(expired);
    closed.add(year);
    final Lots after = new Lots(next, closed);
    return left < 0 ? after.add(after.debtYear(fallbackYear), left) : after;
  }

  /** Years in ascending order, so every endorser writes the same bytes. */
  JsonWriter toJson() {
    return JsonWriter.object()
        .put("live", byYear(live))
        .putArray("expired", expired.stream().map(String::valueOf).toList());
  }

  static JsonWriter byYear(final Map<Integer, Long> points) {
    final JsonWriter json = JsonWriter.object();
    new TreeMap<>(points).forEach((year, left) -> json.put(year.toString(), left));
    return json;
  }

  static Lots fromJson(final JSONObject json) {
    final TreeMap<Integer, Long> live = new TreeMap<>();
    final JSONObject lots = json.getJSONObject("live");
    lots.keySet().forEach(year -> live.put(Integer.parseInt(year), lots.getLong(year)));
    final TreeSet<Integer> expired = new TreeSet<>();
    json.getJSONArray("expired").forEach(year -> expired.add(((Number) year).intValue()));
    return new Lots(live, expired);
  }

  private int debtYear(final int fallbackYear) {
    return live.isEmpty() ? fallbackYear : live.lastKey();
  }
}
