package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import org.civicpoints.api.domain.OrgUnit;

/**
 * The org units of the city and the party. Futures of a single unit complete with null for none.
 */
public interface OrgUnits {

  Future<List<OrgUnit>> all();

  /**
   * Adds {@code created} (parents before children) and renames {@code renamed} in one ordered
   * write; fails with {@link CodeTaken} when a code is already another unit's (the writes before it
   * are kept).
   */
  Future<Void> write(List<OrgUnit> created, List<OrgUnit> renamed);

  /**
   * Sets name and code of an active unit; null when there is no such active unit, {@link CodeTaken}
   * when another unit has the code.
   */
  Future<OrgUnit> update(String unitId, String name, String code);

  /** Marks an active unit retired; null when there is no such active unit. */
  Future<OrgUnit> retire(String unitId, Instant at);

  /** Another unit holds the code (the unique index said so). */
  final class CodeTaken extends RuntimeException {
    public CodeTaken() {
      super("org unit code taken", null, false, false);
    }
  }
}
