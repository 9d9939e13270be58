package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.service.ActivityService;
import org.civicpoints.api.service.ActivityService.ActivityChange;
import org.civicpoints.api.service.ActivityService.CheckIn;
import org.civicpoints.api.service.ActivityService.NewActivity;

/** Tag "Activities": staff manage activities; members read, enroll, check in and out. */
public final class ActivityHandlers {

  private final ActivityService activities;

  public ActivityHandlers(ActivityService activities) {
    this.activities = activities;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> operations = new HashMap<>();
    operations.put("createActivity", this::create);
    operations.put("listActivities", this::list);
    operations.put("getActivity", this::get);
    operations.put("changeActivity", this::change);
    operations.put("cancelActivity", this::cancel);
    operations.put("getCheckInCode", this::checkInCode);
    operations.put("enrollInActivity", this::enroll);
    operations.put("leaveActivity", this::leave);
    operations.put("checkInToActivity", this::checkIn);
    operations.put("checkOutOfActivity", this::checkOut);
    operations.put("listAttendance", this::attendance);
    return operations;
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    NewActivity request =
        new NewActivity(
            body.getString("communityId"),
            Category.valueOf(body.getString("type")),
            body.getString("title").strip(),
            body.getString("ruleId"),
            Inputs.instant(body, "startsAt"),
            Inputs.instant(body, "endsAt"),
            body.getInteger("capacity"),
            Inputs.geoFence(body.getJsonObject("location")),
            Activity.CheckInMode.valueOf(body.getString("checkIn")),
            body.getInteger("claimsPerDay", Activity.DEFAULT_CLAIMS_PER_DAY));
    Replies.json(
        ctx,
        201,
        () ->
            activities
                .create(Authentication.caller(ctx), request)
                .map(activity -> new JsonObject().put("activityId", activity.activityId())));
  }

  private void list(RoutingContext ctx) {
    String communityId = ValidInput.of(ctx).queryParam("communityId");
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .list(Authentication.caller(ctx), communityId)
                .map(all -> CatalogViews.page(new Page<>(all, null), CatalogViews::activity)));
  }

  private void get(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.json(
        ctx,
        200,
        () -> activities.get(Authentication.caller(ctx), activityId).map(CatalogViews::activity));
  }

  private void change(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    JsonObject body = input.body();
    ActivityChange change =
        new ActivityChange(
            Optional.ofNullable(body.getString("title")).map(String::strip),
            Optional.ofNullable(Inputs.instant(body, "startsAt")),
            Optional.ofNullable(Inputs.instant(body, "endsAt")),
            Optional.ofNullable(body.getInteger("capacity")),
            Optional.ofNullable(Inputs.geoFence(body.getJsonObject("location"))),
            Optional.ofNullable(body.getString("checkIn")).map(Activity.CheckInMode::valueOf),
            Optional.ofNullable(body.getInteger("claimsPerDay")));
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .change(Authentication.caller(ctx), input.pathParam("activityId"), change)
                .map(CatalogViews::activity));
  }

  private void cancel(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.json(
        ctx,
        200,
        () ->
            activities.cancel(Authentication.caller(ctx), activityId).map(CatalogViews::activity));
  }

  private void checkInCode(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .checkInCode(Authentication.caller(ctx), activityId)
                .map(
                    code ->
                        new JsonObject()
                            .put("code", code.code())
                            .put("validUntil", code.validUntil().toString())));
  }

  private void enroll(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .enroll(Authentication.caller(ctx), activityId)
                .map(CatalogViews::attendance));
  }

  private void leave(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.noContent(ctx, () -> activities.leave(Authentication.caller(ctx), activityId));
  }

  private void checkIn(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .checkIn(
                    Authentication.caller(ctx),
                    input.pathParam("activityId"),
                    checkInRequest(input))
                .map(CatalogViews::attendance));
  }

  private void checkOut(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .checkOut(
                    Authentication.caller(ctx),
                    input.pathParam("activityId"),
                    checkInRequest(input))
                .map(CatalogViews::attendance));
  }

  private void attendance(RoutingContext ctx) {
    String activityId = ValidInput.of(ctx).pathParam("activityId");
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .attendance(Authentication.caller(ctx), activityId)
                .map(all -> CatalogViews.page(new Page<>(all, null), CatalogViews::attendance)));
  }

  private static CheckIn checkInRequest(ValidInput input) {
    JsonObject body = Inputs.bodyOrEmpty(input);
    JsonObject location = body.getJsonObject("location");
    return new CheckIn(
        body.getString("code"),
        location == null ? null : location.getDouble("lat"),
        location == null ? null : location.getDouble("lng"));
  }
}
