package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.OrgUnit;

/** The org units of the city and the party. */
public interface OrgUnits {

  Future<List<OrgUnit>> all();

  /** Inserts the units that do not exist yet; existing ones are left as they are. */
  Future<Void> insertMissing(List<OrgUnit> units);
}
