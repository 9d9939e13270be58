package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox's badge (unreadCount) and "mark all read", each member's own only. Through HTTP. */
class InboxApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000041";
  private static final String EAST = "c-east-1a";
  private static TestApi api;
  private static ApiClient client;
  private static CatalogFixtures fixtures;
  private static SignedIn staff;
  private static String activityId;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    fixtures = new CatalogFixtures(client);
    SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    staff = Sessions.withRoles(client, EAST, "STAFF");
    activityId =
        fixtures.activity(
            staff,
            fixtures.activityBody(
                EAST, "VOLUNTEER", fixtures.rule(admin, "VOLUNTEER", 10), "NONE"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private SignedIn me;
  private SignedIn neighbour;

  @BeforeEach
  void twoResidentsWithRejections() {
    me = Sessions.inCommunity(client, EAST);
    neighbour = Sessions.inCommunity(client, EAST);
    rejectOneOf(me);
    rejectOneOf(me);
    rejectOneOf(neighbour);
  }

  @Test
  void the_list_counts_all_unread_notifications_not_only_the_page() {
    JsonObject page = inbox(me, "?limit=1");
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getLong("unreadCount")).isEqualTo(2);

    String first = page.getJsonArray("items").getJsonObject(0).getString("notificationId");
    Reply read =
        client.post(
            "markNotificationRead",
            "/v1/me/notifications/" + first + "/read",
            null,
            me.accessToken());
    assertThat(read.status()).isEqualTo(200);
    assertThat(inbox(me, "").getLong("unreadCount")).isEqualTo(1);
  }

  @Test
  void mark_all_read_clears_my_badge_twice_over_and_leaves_my_neighbours_alone() {
    assertThat(markAllRead(me).status()).isEqualTo(204);
    JsonObject mine = inbox(me, "");
    assertThat(mine.getLong("unreadCount")).isZero();
    assertThat(mine.getJsonArray("items"))
        .hasSize(2)
        .allMatch(n -> ((JsonObject) n).containsKey("readAt"));

    assertThat(markAllRead(me).status()).as("idempotent").isEqualTo(204);
    assertThat(inbox(me, "").getLong("unreadCount")).isZero();
    assertThat(inbox(neighbour, "").getLong("unreadCount")).isEqualTo(1);
  }

  @Test
  void a_neighbours_notification_cannot_be_read_by_me_and_mark_all_needs_a_session() {
    String theirs =
        inbox(neighbour, "").getJsonArray("items").getJsonObject(0).getString("notificationId");
    Reply foreign =
        client.post(
            "markNotificationRead",
            "/v1/me/notifications/" + theirs + "/read",
            null,
            me.accessToken());
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.code()).isEqualTo("NOT_FOUND");
    assertThat(inbox(neighbour, "").getLong("unreadCount")).isEqualTo(1);

    Reply anonymous =
        client.post("markAllNotificationsRead", "/v1/me/notifications/read-all", null, null);
    assertThat(anonymous.status()).isEqualTo(401);
  }

  private static void rejectOneOf(SignedIn resident) {
    String submissionId = fixtures.submitted(resident, activityId, 1);
    Reply rejected =
        client.post(
            "rejectSubmission",
            "/v1/submissions/" + submissionId + "/reject",
            new JsonObject().put("reason", "Not on the list"),
            staff.accessToken());
    assertThat(rejected.status()).isEqualTo(200);
  }

  private static JsonObject inbox(SignedIn who, String query) {
    Reply reply =
        client.get("listNotifications", "/v1/me/notifications" + query, who.accessToken());
    assertThat(reply.status()).as("inbox: %s", reply.body()).isEqualTo(200);
    return reply.json();
  }

  private static Reply markAllRead(SignedIn who) {
    return client.post(
        "markAllNotificationsRead", "/v1/me/notifications/read-all", null, who.accessToken());
  }
}
