package org.civicpoints.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.function.Function;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.CommunityChange;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.PartyBranch;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Phones;
import org.civicpoints.api.service.MemberService.MemberView;
import org.civicpoints.api.service.MessageCatalogue;
import org.civicpoints.api.service.OrgUnitService.ImportReport;
import org.civicpoints.api.service.SessionService.Session;

/** Domain objects as the contract's JSON schemas. Absent values are left out, never null. */
final class Views {

  private Views() {}

  static JsonObject session(Session session) {
    return new JsonObject()
        .put("accessToken", session.access().token())
        .put("refreshToken", session.refreshToken())
        .put("tokenType", "Bearer")
        .put("expiresIn", session.access().expiresInSeconds())
        .put("member", me(new MemberView(session.member(), null)));
  }

  /** The caller's own record: the only view that carries the phone number. */
  static JsonObject me(MemberView view) {
    Member member = view.member();
    JsonObject json =
        new JsonObject()
            .put("memberId", member.memberId())
            .put("displayName", member.displayName())
            .put("roles", sorted(member.roles().stream().map(Enum::name).toList()))
            .put("scopes", sorted(member.scopes()))
            .put("leaderboardVisibility", member.leaderboardVisibility().name())
            .put("partyMembership", party(member.partyMembership()))
            .put("language", member.language().tag());
    putIfPresent(json, "avatarUrl", member.avatarUrl());
    putIfPresent(json, "communityId", member.communityId());
    putIfPresent(json, "phone", member.phone());
    if (view.pendingCommunityChange() != null) {
      json.put("pendingCommunityChange", communityChange(view.pendingCommunityChange()));
    }
    return json;
  }

  /** A member as staff see it: phone masked. */
  static JsonObject memberSummary(Member member) {
    JsonObject json =
        new JsonObject()
            .put("memberId", member.memberId())
            .put("displayName", member.displayName())
            .put("roles", sorted(member.roles().stream().map(Enum::name).toList()))
            .put("scopes", sorted(member.scopes()))
            .put("phoneMasked", Phones.mask(member.phone()))
            .put("partyMembership", party(member.partyMembership()));
    putIfPresent(json, "communityId", member.communityId());
    putIfPresent(json, "registeredBy", member.registeredBy());
    return json;
  }

  static JsonObject communityChange(CommunityChange change) {
    JsonObject json =
        new JsonObject()
            .put("requestId", change.requestId())
            .put("memberId", change.memberId())
            .put("toCommunityId", change.toCommunityId())
            .put("status", change.status().name())
            .put("requestedAt", change.requestedAt().toString());
    putIfPresent(json, "fromCommunityId", change.fromCommunityId());
    return json;
  }

  static JsonObject community(Community community) {
    JsonObject json =
        new JsonObject()
            .put("communityId", community.communityId())
            .put("name", community.name())
            .put("streetId", community.streetId())
            .put("districtId", community.districtId());
    putIfPresent(json, "streetName", community.streetName());
    putIfPresent(json, "districtName", community.districtName());
    return json;
  }

  static JsonObject partyBranch(PartyBranch branch) {
    JsonObject json =
        new JsonObject()
            .put("branchId", branch.branchId())
            .put("name", branch.name())
            .put("committeeId", branch.committeeId());
    putIfPresent(json, "committeeName", branch.committeeName());
    return json;
  }

  static JsonObject orgUnit(OrgUnit unit) {
    JsonObject json =
        new JsonObject()
            .put("orgUnitId", unit.unitId())
            .put("kind", unit.kind().name())
            .put("name", unit.name())
            .put("code", unit.code());
    putIfPresent(json, "parentId", unit.parentId());
    if (!unit.active()) {
      json.put("retiredAt", unit.retiredAt().toString());
    }
    return json;
  }

  /** Line messages are said in the reader's language. */
  static JsonObject importReport(ImportReport report, Language language) {
    JsonArray errors =
        array(
            report.errors(),
            e ->
                new JsonObject()
                    .put("line", e.line())
                    .put("message", MessageCatalogue.standard().render(language, e.message())));
    return new JsonObject()
        .put("dryRun", report.dryRun())
        .put("rows", report.rows())
        .put("created", report.created())
        .put("renamed", report.renamed())
        .put("unchanged", report.unchanged())
        .put("errorCount", report.errorCount())
        .put("errors", errors);
  }

  /** {@code {"items": [...]}}, each item in its view. */
  static <T> JsonObject items(Collection<T> items, Function<? super T, JsonObject> view) {
    return new JsonObject().put("items", array(items, view));
  }

  /** Each value in its view, in order. */
  static <T> JsonArray array(Collection<T> values, Function<? super T, JsonObject> view) {
    JsonArray array = new JsonArray();
    values.forEach(value -> array.add(view.apply(value)));
    return array;
  }

  private static JsonObject party(PartyMembership party) {
    JsonObject json = new JsonObject().put("status", party.status().name());
    putIfPresent(json, "branchId", party.branchId());
    putIfPresent(json, "verifiedAt", party.verifiedAt());
    return json;
  }

  private static JsonArray sorted(Collection<String> values) {
    return new JsonArray(values.stream().sorted().toList());
  }

  /** Absent values are left out, never null; instants as ISO-8601. */
  static void putIfPresent(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value instanceof Instant instant ? instant.toString() : value);
    }
  }
}
