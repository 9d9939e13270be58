package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.bson.Document;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Opt-in diagnostic ({@code -Dcivicpoints.store.costs=true}): the CPU time the embedded store
 * spends on each kind of command — its name, collection and the fields it filters on, never a value
 * — and on its commits. How the approval benchmark's store profile is taken (api/README).
 */
final class CommandCosts {

  static final String PROPERTY = "civicpoints.store.costs";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Cost(LongAdder calls, LongAdder nanos) {}

  private final boolean measured;
  private final Map<String, Cost> byKind = new ConcurrentHashMap<>();

  private CommandCosts(boolean measured) {
    this.measured = measured;
  }

  /** Measures only when the system property asks for it; else every call is a no-op. */
  static CommandCosts fromSystemProperty() {
    return Boolean.getBoolean(PROPERTY) ? measuring() : new CommandCosts(false);
  }

  static CommandCosts measuring() {
    return new CommandCosts(true);
  }

  boolean measured() {
    return measured;
  }

  /** This thread's CPU time so far, to pass to {@link #command} or {@link #commit}. */
  long start() {
    return measured ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  void command(String command, Document query, long startedAt) {
    if (measured) {
      add(kind(command, query), startedAt);
    }
  }

  void commit(long startedAt) {
    if (measured) {
      add("commit", startedAt);
    }
  }

  private void add(String kind, long startedAt) {
    Cost cost = byKind.computeIfAbsent(kind, k -> new Cost(new LongAdder(), new LongAdder()));
    cost.calls().increment();
    cost.nanos().add(THREADS.getCurrentThreadCpuTime() - startedAt);
  }

  /**
   * e.g. {@code update standings [_id, lastPosition]}, {@code aggregate points [$match, $group]}.
   */
  static String kind(String command, Document query) {
    Object collection = query.get(command);
    Object fields = query.get("filter");
    if (fields == null) {
      fields = firstStatement(query.get("updates"));
    }
    if (fields == null) {
      fields = firstStatement(query.get("deletes"));
    }
    if (fields == null) {
      fields = query.get("query");
    }
    if (query.get("pipeline") instanceof List<?> stages) {
      fields = stages.stream().map(stage -> ((Document) stage).keySet()).toList();
    }
    return command
        + (collection instanceof String name ? " " + name : "")
        + (fields instanceof Document filter ? " " + filter.keySet() : "")
        + (fields instanceof List<?> pipeline ? " " + pipeline : "");
  }

  private static Object firstStatement(Object statements) {
    return statements instanceof List<?> list
            && !list.isEmpty()
            && list.get(0) instanceof Document d
        ? d.get("q")
        : null;
  }

  /** The {@code top} costliest kinds, each with its share, calls and CPU per call. */
  String report(int top) {
    long total = byKind.values().stream().mapToLong(cost -> cost.nanos().sum()).sum();
    String lines =
        byKind.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue().nanos().sum(), a.getValue().nanos().sum()))
            .limit(top)
            .map(
                entry -> {
                  long calls = Math.max(1, entry.getValue().calls().sum());
                  long nanos = entry.getValue().nanos().sum();
                  return String.format(
                      "%5.1f %% %9d calls %9.3f ms/call  %s",
                      100.0 * nanos / Math.max(1, total),
                      calls,
                      nanos / 1e6 / calls,
                      entry.getKey());
                })
            .collect(Collectors.joining("\n"));
    return "Embedded store CPU by command, " + total / 1_000_000 + " ms in all:\n" + lines;
  }
}
