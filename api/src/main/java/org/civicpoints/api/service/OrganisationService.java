package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.PartyBranch;
import org.civicpoints.api.port.OrgUnits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The org units as a snapshot for the request path. This instance reloads it after each of its own
 * changes and every {@link #REFRESH} for the changes other instances make.
 */
public final class OrganisationService {

  /** How soon a change made through another API instance is seen by this one. */
  public static final Duration REFRESH = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(OrganisationService.class);

  private final OrgUnits orgUnits;
  private volatile Organisation organisation = new Organisation(List.of());

  public OrganisationService(OrgUnits orgUnits) {
    this.orgUnits = orgUnits;
  }

  public Future<Organisation> reload() {
    return orgUnits
        .all()
        .map(
            units -> {
              organisation = new Organisation(units);
              return organisation;
            });
  }

  /** Reloads every {@link #REFRESH}; a failed reload keeps the last snapshot. Returns the timer. */
  public long refreshPeriodically(Vertx vertx) {
    return vertx.setPeriodic(
        REFRESH.toMillis(),
        timer ->
            reload()
                .onFailure(
                    failure -> LOG.warn("Org units not reloaded; keeping the last ones", failure)));
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
