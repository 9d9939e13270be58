package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.MovedEntry;

/**
 * A read model fed by the ledger projector with the entries of one committed transaction, in chain
 * order. Implementations must be idempotent by {@link org.civicpoints.api.domain.ChainPosition}:
 * the projector may hand the same transaction over again after a crash or a replay.
 */
public interface PointsProjection {

  Future<Void> apply(List<MovedEntry> entries);
}
