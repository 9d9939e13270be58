package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.service.AssistedResidentService;
import org.civicpoints.api.service.AssistedResidentService.NewResident;
import org.civicpoints.api.service.SubmissionService.NewSubmission;

/** Tag "AssistedResidents": staff act for residents without a smartphone. */
public final class AssistedResidentHandlers {

  private final AssistedResidentService residents;

  public AssistedResidentHandlers(AssistedResidentService residents) {
    this.residents = residents;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "registerAssistedResident", this::register,
        "recordAssistedAttendance", this::recordAttendance,
        "createProxySubmission", this::claim);
  }

  private void register(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    NewResident request =
        new NewResident(
            body.getString("displayName").strip(),
            body.getString("communityId"),
            Optional.ofNullable(body.getString("phone")));
    Replies.json(
        ctx,
        201,
        () -> residents.register(Authentication.caller(ctx), request).map(Views::memberSummary));
  }

  private void recordAttendance(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    String activityId = input.body().getString("activityId");
    Replies.json(
        ctx,
        200,
        () ->
            residents
                .recordAttendance(
                    Authentication.caller(ctx), activityId, input.pathParam("memberId"))
                .map(CatalogViews::attendance));
  }

  /** Answers like createSubmission: 201 with the id and PENDING, a replay the same. */
  private void claim(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    NewSubmission request = SubmissionHandlers.claim(input.body());
    Replies.json(
        ctx,
        201,
        () ->
            residents
                .claimFor(
                    Authentication.caller(ctx),
                    input.pathParam("memberId"),
                    ctx.request().getHeader("Idempotency-Key"),
                    request)
                .map(SubmissionHandlers::pending));
  }
}
