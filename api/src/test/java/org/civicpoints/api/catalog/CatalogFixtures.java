package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.Sessions.SignedIn;

/** Rules, activities and submissions made through the API, for the catalog tests. */
final class CatalogFixtures {

  private final ApiClient client;

  CatalogFixtures(ApiClient client) {
    this.client = client;
  }

  String rule(SignedIn admin, String category, long points) {
    Reply reply =
        client.post(
            "createPointRule",
            "/v1/point-rules",
            new JsonObject()
                .put("category", category)
                .put("points", points)
                .put("dailyCap", 0)
                .put("yearlyCap", 0)
                .put("title", category + " hour"),
            admin.accessToken());
    assertThat(reply.status()).as("rule: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("ruleId");
  }

  /** Polls (deadline 30 s) until the relay wrote the rule's current version to the chain. */
  void awaitRuleOnChain(SignedIn admin, String ruleId) {
    Eventually.until(
        "rule " + ruleId + " on chain",
        Duration.ofSeconds(30),
        () ->
            "DONE"
                .equals(
                    client
                        .get("getPointRule", "/v1/point-rules/" + ruleId, admin.accessToken())
                        .json()
                        .getString("ledgerState")));
  }

  JsonObject activityBody(String communityId, String type, String ruleId, String checkIn) {
    Instant now = Instant.now();
    return new JsonObject()
        .put("communityId", communityId)
        .put("type", type)
        .put("title", "Clean-up")
        .put("ruleId", ruleId)
        .put("startsAt", now.minus(2, ChronoUnit.HOURS).toString())
        .put("endsAt", now.plus(2, ChronoUnit.HOURS).toString())
        .put("checkIn", checkIn);
  }

  String activity(SignedIn staff, JsonObject body) {
    Reply reply = client.post("createActivity", "/v1/activities", body, staff.accessToken());
    assertThat(reply.status()).as("activity: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("activityId");
  }

  Reply enroll(SignedIn member, String activityId) {
    return client.post(
        "enrollInActivity",
        "/v1/activities/" + activityId + "/enrollments",
        null,
        member.accessToken());
  }

  /** Checks the member in with the code staff read off the console now. */
  Reply checkIn(SignedIn member, SignedIn staff, String activityId) {
    String path = "/v1/activities/" + activityId;
    Reply code = client.get("getCheckInCode", path + "/check-in-code", staff.accessToken());
    assertThat(code.status()).as("code: %s", code.body()).isEqualTo(200);
    return client.post(
        "checkInToActivity",
        path + "/check-in",
        new JsonObject().put("code", code.json().getString("code")),
        member.accessToken());
  }

  Reply submit(SignedIn member, String key, JsonObject body) {
    return client.sendRaw(
        "createSubmission",
        HttpMethod.POST,
        "/v1/submissions",
        Buffer.buffer(Json.encode(body)),
        Map.of(
            "Authorization",
            "Bearer " + member.accessToken(),
            "Content-Type",
            "application/json",
            "Idempotency-Key",
            key));
  }

  /** A claim for today in Beijing, the test servers' CIVIC_TIME_ZONE (the default). */
  static JsonObject submission(String activityId, int units) {
    return new JsonObject()
        .put("activityId", activityId)
        .put("occurredOn", java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString())
        .put("units", units);
  }

  String submitted(SignedIn member, String activityId, int units) {
    Reply reply =
        submit(member, java.util.UUID.randomUUID().toString(), submission(activityId, units));
    assertThat(reply.status()).as("submission: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("submissionId");
  }
}
