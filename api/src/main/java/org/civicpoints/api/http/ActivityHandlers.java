package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.CheckInCodes;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.port.Activities.Near;
import org.civicpoints.api.service.ActivityFinder.Query;
import org.civicpoints.api.service.ActivityService;
import org.civicpoints.api.service.ActivityService.ActivityChange;
import org.civicpoints.api.service.ActivityService.CheckIn;
import org.civicpoints.api.service.ActivityService.NewActivity;

/** Tag "Activities": staff manage activities; members read, enroll, check in and out. */
public final class ActivityHandlers {

  private static final double DEFAULT_RADIUS_KM = 5;
  private static final String ACTIVITY_ID = "activityId";

  private final ActivityService activities;

  public ActivityHandlers(ActivityService activities) {
    this.activities = activities;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    Map<String, Handler<RoutingContext>> operations = new HashMap<>();
    operations.put("createActivity", this::create);
    operations.put("listActivities", this::list);
    operations.put(
        "getActivity", Replies.byId(ACTIVITY_ID, activities::get, CatalogViews::activity));
    operations.put("changeActivity", this::change);
    operations.put(
        "cancelActivity", Replies.byId(ACTIVITY_ID, activities::cancel, CatalogViews::activity));
    operations.put(
        "getCheckInCode",
        Replies.byId(ACTIVITY_ID, activities::checkInCode, ActivityHandlers::checkInCode));
    operations.put(
        "enrollInActivity",
        Replies.byId(ACTIVITY_ID, activities::enroll, CatalogViews::attendance));
    operations.put("leaveActivity", Replies.noContentById(ACTIVITY_ID, activities::leave));
    operations.put("checkInToActivity", this::checkIn);
    operations.put("checkOutOfActivity", this::checkOut);
    operations.put(
        "listAttendance",
        Replies.byId(
            ACTIVITY_ID,
            activities::attendance,
            all -> Views.items(all, CatalogViews::attendance)));
    operations.put(
        "joinWaitlist",
        Replies.byId(ACTIVITY_ID, activities::joinWaitlist, CatalogViews::waitlistPlace));
    operations.put("leaveWaitlist", Replies.noContentById(ACTIVITY_ID, activities::leaveWaitlist));
    operations.put("listMyEnrollments", this::myEnrollments);
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
            body.getInteger("claimsPerDay", Activity.DEFAULT_CLAIMS_PER_DAY),
            new Activity.Details(
                blankAsNull(body.getString("description")),
                blankAsNull(body.getString("address")),
                body.getString("coverImage"),
                tags(body.getJsonArray("tags"))));
    Replies.json(
        ctx,
        201,
        () ->
            activities
                .create(Authentication.caller(ctx), request)
                .map(activity -> new JsonObject().put("activityId", activity.activityId())));
  }

  private void list(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.page(
        ctx,
        (caller, cursor, limit) ->
            activities.list(
                caller,
                new Query(
                    input.queryParam("communityId"),
                    Inputs.queryEnum(input, "type", Category.class),
                    Inputs.queryInstant(input, "from"),
                    Inputs.queryInstant(input, "to"),
                    Optional.ofNullable(input.queryParam("q")).map(String::strip).orElse(null),
                    near(input),
                    cursor,
                    limit)),
        CatalogViews::listed);
  }

  /** {@code near=lat,lng} (the contract checked its shape) and {@code radiusKm}, default 5. */
  private static Near near(ValidInput input) {
    String near = input.queryParam("near");
    Object radius = input.query().get("radiusKm");
    if (near == null) {
      if (radius != null) {
        throw DomainException.invalidField("query.radiusKm", "needsNear", Map.of());
      }
      return null;
    }
    String[] parts = near.split(",");
    double lat = Double.parseDouble(parts[0]);
    double lng = Double.parseDouble(parts[1]);
    if (Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      throw DomainException.invalidField("query.near", "nearPoint", Map.of());
    }
    return new Near(
        lat, lng, radius instanceof Number number ? number.doubleValue() : DEFAULT_RADIUS_KM);
  }

  private void myEnrollments(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    boolean past = "past".equals(input.queryParam("when"));
    Replies.page(
        ctx,
        (caller, cursor, limit) -> activities.myEnrollments(caller, past, cursor, limit),
        CatalogViews::enrollment);
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
            Optional.ofNullable(body.getInteger("claimsPerDay")),
            Optional.ofNullable(body.getString("description")).map(String::strip),
            Optional.ofNullable(body.getString("address")).map(String::strip),
            Optional.ofNullable(body.getString("coverImage")),
            Optional.ofNullable(body.getJsonArray("tags")).map(ActivityHandlers::tags));
    Replies.json(
        ctx,
        200,
        () ->
            activities
                .change(Authentication.caller(ctx), input.pathParam("activityId"), change)
                .map(CatalogViews::activity));
  }

  private void checkIn(RoutingContext ctx) {
    attend(ctx, activities::checkIn);
  }

  private void checkOut(RoutingContext ctx) {
    attend(ctx, activities::checkOut);
  }

  /** A check-in or check-out, answered with the caller's attendance. */
  private interface Attend {
    Future<Attendance> apply(Caller caller, String activityId, CheckIn request);
  }

  private static void attend(RoutingContext ctx, Attend step) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            step.apply(
                    Authentication.caller(ctx),
                    input.pathParam("activityId"),
                    checkInRequest(input))
                .map(CatalogViews::attendance));
  }

  private static JsonObject checkInCode(CheckInCodes.Code code) {
    return new JsonObject()
        .put("code", code.code())
        .put("validUntil", code.validUntil().toString());
  }

  private static String blankAsNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  /** Stripped, each once whatever its case, in the order given. */
  private static List<String> tags(JsonArray tags) {
    Map<String, String> byFolded = new LinkedHashMap<>();
    if (tags != null) {
      tags.stream()
          .map(tag -> ((String) tag).strip())
          .forEach(tag -> byFolded.putIfAbsent(tag.toLowerCase(Locale.ROOT), tag));
    }
    return List.copyOf(byFolded.values());
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
