package org.civicpoints.api.fabric;

import io.vertx.core.Future;
import org.civicpoints.api.port.Ledger;

/**
 * Readiness reports "ledger: not configured" while no Fabric connection is wired into the API.
 * The fabric-gateway adapter and the embedded devnet replace this.
 */
public final class LedgerNotConfigured implements Ledger {

  @Override
  public Future<Status> check() {
    return Future.succeededFuture(Status.NOT_CONFIGURED);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
