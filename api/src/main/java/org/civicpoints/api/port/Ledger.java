package org.civicpoints.api.port;

import io.vertx.core.Future;

/**
 * The points ledger (Fabric). Its health check evaluates a read-only query; the write path
 * (awards, receipts) lands here with the points features.
 */
public interface Ledger extends HealthCheck {

  @Override
  default String name() {
    return "ledger";
  }

  Future<Void> close();
}
