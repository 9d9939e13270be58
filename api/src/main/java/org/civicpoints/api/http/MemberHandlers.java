package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.ServiceLevel;
import org.civicpoints.api.port.ProfileChanges;
import org.civicpoints.api.service.MemberService;
import org.civicpoints.api.service.MemberService.MeUpdate;
import org.civicpoints.api.service.ServiceLevels;

/** Tag "Members": the caller's record, staff work on members, admin grants. */
public final class MemberHandlers {

  private static final String MEMBER_ID = "memberId";

  private final MemberService members;
  private final ServiceLevels levels;

  public MemberHandlers(MemberService members, ServiceLevels levels) {
    this.members = members;
    this.levels = levels;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "getMe", this::getMe,
        "updateMe", this::updateMe,
        "listMembers", this::listMembers,
        "verifyPartyMembership", this::verifyPartyMembership,
        "grantRole", this::grantRole,
        "revokeRole", this::revokeRole,
        "revokeScope", this::revokeScope,
        "listCommunityChangeRequests", this::listCommunityChangeRequests,
        "decideCommunityChange", this::decideCommunityChange);
  }

  /** The caller's record with their service level (stars and study milestone). */
  private void getMe(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            Future.all(members.me(caller).map(Views::me), levels.of(caller))
                .map(
                    both ->
                        both.<JsonObject>resultAt(0)
                            .put("serviceLevel", serviceLevel(both.resultAt(1)))));
  }

  private static JsonObject serviceLevel(ServiceLevel level) {
    JsonObject json =
        new JsonObject()
            .put("stars", level.stars())
            .put("volunteerHours", level.volunteerHours())
            .put("studyUnits", level.studyUnits())
            .put("studyMilestone", level.studyMilestone());
    level.nextStarHours().ifPresent(hours -> json.put("nextStarHours", hours));
    level.nextStudyMilestone().ifPresent(units -> json.put("nextStudyMilestone", units));
    return json;
  }

  private void updateMe(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    MeUpdate update =
        new MeUpdate(
            new ProfileChanges(
                Optional.ofNullable(body.getString("displayName")).map(String::strip),
                Optional.ofNullable(body.getString("avatarUrl")),
                Optional.ofNullable(body.getString("leaderboardVisibility"))
                    .map(LeaderboardVisibility::valueOf),
                Optional.ofNullable(body.getString("language")).map(MemberHandlers::language)),
            Optional.ofNullable(body.getString("communityId")));
    Replies.json(
        ctx, 200, () -> members.updateMe(Authentication.caller(ctx), update).map(Views::me));
  }

  private void listMembers(RoutingContext ctx) {
    ofCommunity(ctx, members::listMembers, Views::memberSummary);
  }

  private void verifyPartyMembership(RoutingContext ctx) {
    String branchId = ValidInput.of(ctx).body().getString("branchId");
    Replies.byId(
        ctx,
        MEMBER_ID,
        (caller, memberId) -> members.verifyPartyMembership(caller, memberId, branchId),
        Views::memberSummary);
  }

  private void grantRole(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Role role = Role.valueOf(body.getString("role"));
    Set<String> scopes = strings(body.getJsonArray("scopes"));
    Replies.byId(
        ctx,
        MEMBER_ID,
        (caller, memberId) -> members.grantRole(caller, memberId, role, scopes),
        Views::memberSummary);
  }

  private void revokeRole(RoutingContext ctx) {
    Role role = Role.valueOf(ValidInput.of(ctx).pathParam("role"));
    Replies.byId(
        ctx,
        MEMBER_ID,
        (caller, memberId) -> members.revokeRole(caller, memberId, role),
        Views::memberSummary);
  }

  private void revokeScope(RoutingContext ctx) {
    String scope = ValidInput.of(ctx).pathParam("scope");
    Replies.byId(
        ctx,
        MEMBER_ID,
        (caller, memberId) -> members.revokeScope(caller, memberId, scope),
        Views::memberSummary);
  }

  private void listCommunityChangeRequests(RoutingContext ctx) {
    ofCommunity(ctx, members::listCommunityChanges, Views::communityChange);
  }

  private void decideCommunityChange(RoutingContext ctx) {
    boolean approve = "APPROVE".equals(ValidInput.of(ctx).body().getString("decision"));
    Replies.byId(
        ctx,
        "requestId",
        (caller, requestId) -> members.decideCommunityChange(caller, requestId, approve),
        Views::communityChange);
  }

  /**
   * Answers 200 with all the caller may see of the community named by the query parameter {@code
   * communityId}.
   */
  private static <T> void ofCommunity(
      RoutingContext ctx, Replies.ById<List<T>> listing, Function<T, JsonObject> view) {
    String communityId = ValidInput.of(ctx).queryParam("communityId");
    Replies.json(
        ctx,
        200,
        () ->
            listing
                .apply(Authentication.caller(ctx), communityId)
                .map(list -> Views.items(list, view)));
  }

  /** The contract lists the tags; this is its enum read back. */
  private static Language language(String tag) {
    return Language.ofTag(tag).orElseThrow();
  }

  private static Set<String> strings(JsonArray values) {
    Set<String> strings = new HashSet<>();
    for (Object value : values == null ? List.of() : values) {
      strings.add((String) value);
    }
    return strings;
  }
}
