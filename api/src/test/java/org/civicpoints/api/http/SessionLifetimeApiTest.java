package org.civicpoints.api.http;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.civicpoints.api.mongo.MongoRefreshTokens;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.RefreshTokenSweeper;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sign-in lasts at most its absolute lifetime (30 days by default) however often it is refreshed,
 * and expired tokens are swept away. The server's clock only moves forward, and each test signs in
 * its own members, so the tests do not depend on each other's order.
 */
class SessionLifetimeApiTest {

  private static final Duration THIRTY_DAYS = Duration.ofDays(30);

  private static final MovableClock clock = new MovableClock();
  private static TestApi api;
  private static MongoProbe mongo;
  private static MongoStore store;
  private static RefreshTokenSweeper sweeper;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of(), clock);
    mongo = api.mongoProbe();
    store = api.openStore();
    sweeper = new RefreshTokenSweeper(api.vertx, new MongoRefreshTokens(store), clock);
  }

  @AfterAll
  static void stop() {
    mongo.close();
    store.close();
    api.close();
  }

  private static Reply refresh(String refreshToken) {
    return api.client.post(
        "refreshSession",
        "/v1/auth/refresh",
        new JsonObject().put("refreshToken", refreshToken),
        null);
  }

  private static String refreshed(String refreshToken) {
    Reply reply = refresh(refreshToken);
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getString("refreshToken");
  }

  @Test
  void a_sign_in_ends_thirty_days_after_it_began_however_often_it_is_refreshed() {
    SignedIn signedIn = Sessions.resident(api.client);
    clock.advance(Duration.ofDays(20));
    String second = refreshed(signedIn.refreshToken());
    clock.advance(Duration.ofDays(9));
    String third = refreshed(second);

    clock.advance(Duration.ofDays(1));
    Reply ended = refresh(third);
    assertThat(ended.status()).isEqualTo(401);
    assertThat(ended.code()).isEqualTo("INVALID_REFRESH_TOKEN");
    assertThat(ended.json().getString("detail")).contains("最长有效期"); // zh-CN, the default
    assertThat(refresh(signedIn.refreshToken()).code())
        .as("the family is revoked: a replayed retired token is no longer even reuse")
        .isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void a_token_issued_near_the_end_expires_with_the_sign_in_not_a_ttl_later() {
    SignedIn signedIn = Sessions.resident(api.client);
    clock.advance(THIRTY_DAYS.minusMinutes(2));
    String last = refreshed(signedIn.refreshToken());
    Document family = mongo.findOne("session_families", eq("memberId", signedIn.memberId()));
    assertThat(mongo.find("refresh_tokens", eq("familyId", family.getString("_id"))))
        .extracting(token -> token.getDate("expiresAt"))
        .contains(family.getDate("expiresAt"));

    clock.advance(Duration.ofMinutes(3));
    assertThat(refresh(last).status()).isEqualTo(401);
  }

  @Test
  void a_replayed_token_still_revokes_the_family_within_the_lifetime() {
    SignedIn signedIn = Sessions.resident(api.client);
    String second = refreshed(signedIn.refreshToken());
    assertThat(refresh(signedIn.refreshToken()).code()).isEqualTo("REFRESH_TOKEN_REUSED");
    assertThat(refresh(second).code()).isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void the_sweeper_deletes_expired_tokens_and_sign_ins_and_keeps_live_ones() {
    SignedIn old = Sessions.resident(api.client);
    refreshed(old.refreshToken());
    clock.advance(THIRTY_DAYS.plusMinutes(1));
    SignedIn live = Sessions.resident(api.client);

    assertThat(sweeper.sweep().await()).isGreaterThanOrEqualTo(3);
    assertThat(mongo.count("refresh_tokens", eq("memberId", old.memberId()))).isZero();
    assertThat(mongo.count("session_families", eq("memberId", old.memberId()))).isZero();
    assertThat(mongo.count("refresh_tokens", eq("memberId", live.memberId()))).isEqualTo(1);
    assertThat(refresh(old.refreshToken()).code()).isEqualTo("INVALID_REFRESH_TOKEN");
    assertThat(refresh(live.refreshToken()).status()).isEqualTo(200);
    assertThat(sweeper.sweep().await())
        .as("a second sweep finds nothing more: the delete is idempotent")
        .isZero();
  }

  @Test
  void mongodb_expires_tokens_and_sign_ins_by_ttl_index() {
    for (String collection : List.of("refresh_tokens", "session_families")) {
      List<Document> indexes = MongoProbe.await(mongo.collection(collection).listIndexes());
      assertThat(indexes)
          .filteredOn(index -> "expiresAt_ttl".equals(index.getString("name")))
          .singleElement()
          .satisfies(
              index -> {
                assertThat(index.get("key", Document.class)).containsEntry("expiresAt", 1);
                assertThat(((Number) index.get("expireAfterSeconds")).longValue()).isZero();
              });
    }
  }
}
