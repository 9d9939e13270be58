package org.civicpoints.api.port;

import io.vertx.core.Future;

/** A dependency that readiness reports on, by name. */
public interface HealthCheck {

  enum Status {
    UP,
    DOWN
  }

  String name();

  Future<Status> check();
}
