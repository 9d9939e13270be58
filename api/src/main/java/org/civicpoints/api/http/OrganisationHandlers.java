package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.service.OrganisationService;

/** Tag "Organisation": communities and party branches. */
public final class OrganisationHandlers {

  private final OrganisationService organisation;

  public OrganisationHandlers(OrganisationService organisation) {
    this.organisation = organisation;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "listCommunities", this::listCommunities,
        "listPartyBranches", this::listPartyBranches);
  }

  private void listCommunities(RoutingContext ctx) {
    Replies.json(
        ctx,
        200,
        () -> Future.succeededFuture(Views.items(organisation.communities(), Views::community)));
  }

  private void listPartyBranches(RoutingContext ctx) {
    Replies.json(
        ctx,
        200,
        () ->
            Future.succeededFuture(Views.items(organisation.partyBranches(), Views::partyBranch)));
  }
}
