package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.PointRule;

/** Point rules; each stored change queues a PutRule for the ledger relay. Missing → null. */
public interface PointRules {

  Future<Void> insert(PointRule rule);

  Future<PointRule> findById(String ruleId);

  Future<List<PointRule>> all();

  /**
   * Stores {@code next} (version = current + 1) only if the stored rule still has version {@code
   * expectedVersion} and the ledger has that version; null otherwise.
   */
  Future<PointRule> replace(PointRule next, long expectedVersion);
}
