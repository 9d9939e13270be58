package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.port.HealthCheck;
import org.civicpoints.api.port.HealthCheck.Status;

/** Readiness: every dependency answers within a deadline, or the API is not ready. */
public final class HealthService {

  private static final long CHECK_DEADLINE_MILLIS = 3_000;

  private final List<HealthCheck> checks;

  public HealthService(List<HealthCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  public record Readiness(boolean ready, Map<String, Status> checks) {}

  public Future<Readiness> readiness() {
    List<Future<Status>> results = checks.stream().map(this::checkWithDeadline).toList();
    return Future.join(results)
        .transform(
            done -> {
              Map<String, Status> statuses = new LinkedHashMap<>();
              for (int i = 0; i < checks.size(); i++) {
                statuses.put(
                    checks.get(i).name(),
                    results.get(i).succeeded() ? results.get(i).result() : Status.DOWN);
              }
              boolean ready = statuses.values().stream().noneMatch(s -> s == Status.DOWN);
              return Future.succeededFuture(new Readiness(ready, statuses));
            });
  }

  private Future<Status> checkWithDeadline(HealthCheck check) {
    return check.check().timeout(CHECK_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
  }
}
