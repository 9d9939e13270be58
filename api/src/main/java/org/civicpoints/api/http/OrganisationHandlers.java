package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.service.OrgUnitService;
import org.civicpoints.api.service.OrgUnitService.NewOrgUnit;
import org.civicpoints.api.service.OrgUnitService.OrgUnitQuery;
import org.civicpoints.api.service.OrganisationService;

/** Tag "Organisation": communities and party branches, and the org units admins manage. */
public final class OrganisationHandlers {

  private final OrganisationService organisation;
  private final OrgUnitService orgUnits;
  private final Function<String, Future<Language>> storedLanguageOf;

  /** {@code storedLanguageOf}: a member's own language choice, for import reports. */
  public OrganisationHandlers(
      OrganisationService organisation,
      OrgUnitService orgUnits,
      Function<String, Future<Language>> storedLanguageOf) {
    this.organisation = organisation;
    this.orgUnits = orgUnits;
    this.storedLanguageOf = storedLanguageOf;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "listCommunities", this::listCommunities,
        "listPartyBranches", this::listPartyBranches,
        "createOrgUnit", this::createOrgUnit,
        "listOrgUnits", this::listOrgUnits,
        "getOrgUnit", Replies.byId("orgUnitId", orgUnits::get, Views::orgUnit),
        "updateOrgUnit", this::updateOrgUnit,
        "retireOrgUnit", Replies.byId("orgUnitId", orgUnits::retire, Views::orgUnit),
        "importOrgUnits", this::importOrgUnits);
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

  private void createOrgUnit(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    NewOrgUnit request =
        new NewOrgUnit(
            Kind.valueOf(body.getString("kind")),
            body.getString("name"),
            body.getString("parentId"),
            body.getString("code"));
    Replies.json(
        ctx,
        201,
        () ->
            orgUnits
                .create(Authentication.caller(ctx), request)
                .map(unit -> new JsonObject().put("orgUnitId", unit.unitId())));
  }

  private void listOrgUnits(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    OrgUnitQuery query =
        new OrgUnitQuery(
            Inputs.queryEnum(input, "kind", Kind.class),
            input.queryParam("parentId"),
            Inputs.flag(input, "includeRetired"));
    Replies.page(
        ctx,
        (caller, cursor, limit) -> orgUnits.list(caller, query, cursor, limit),
        Views::orgUnit);
  }

  private void updateOrgUnit(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.byId(
        ctx,
        "orgUnitId",
        (caller, orgUnitId) ->
            orgUnits.update(
                caller,
                orgUnitId,
                Optional.ofNullable(body.getString("name")),
                Optional.ofNullable(body.getString("code"))),
        Views::orgUnit);
  }

  /** The body is the CSV itself (RequestValidation checked its media type, not its content). */
  private void importOrgUnits(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    boolean dryRun = Inputs.flag(input, "dryRun");
    byte[] csv = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Replies.json(
        ctx,
        200,
        () ->
            orgUnits
                .importCsv(Authentication.caller(ctx), csv, dryRun)
                .compose(
                    report ->
                        RequestLanguage.ofAnswer(ctx, storedLanguageOf)
                            .map(language -> Views.importReport(report, language))));
  }
}
