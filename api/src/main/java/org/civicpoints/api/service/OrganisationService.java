package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.PartyBranch;
import org.civicpoints.api.port.OrgUnits;

/**
 * The org units, loaded once at start-up (seeding the demo city on dev servers first). Org units
 * change only through seeding for now, so a snapshot is exact.
 */
public final class OrganisationService {

  private final OrgUnits orgUnits;
  private volatile Organisation organisation = new Organisation(List.of());

  public OrganisationService(OrgUnits orgUnits) {
    this.orgUnits = orgUnits;
  }

  public Future<Void> load(boolean seedDemoCity) {
    Future<Void> seeded =
        seedDemoCity ? orgUnits.insertMissing(DemoCity.units()) : Future.succeededFuture();
    return seeded
        .compose(v -> orgUnits.all())
        .map(
            units -> {
              organisation = new Organisation(units);
              return null;
            });
  }

  public Organisation organisation() {
    return organisation;
  }

  public List<Community> communities() {
    return organisation.communities();
  }

  public List<PartyBranch> partyBranches() {
    return organisation.partyBranches();
  }
}
