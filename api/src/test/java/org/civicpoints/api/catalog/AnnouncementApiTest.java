package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Staff announce to their community, admins to any unit; residents of the scope read it and find it
 * in their inbox, others do not. Through HTTP.
 */
class AnnouncementApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000061";
  private static final String EAST = "c-east-1a";
  private static final String WEST = "c-west-2b";
  private static TestApi api;
  private static ApiClient client;
  private static SignedIn admin;
  private static SignedIn eastStaff;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
    admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    eastStaff = Sessions.withRoles(client, EAST, "STAFF");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void staff_announce_to_their_community_and_only_its_residents_hear_of_it() {
    SignedIn east = Sessions.inCommunity(client, EAST);
    SignedIn west = Sessions.inCommunity(client, WEST);

    Reply created = announce(eastStaff, announcement(EAST, "Water off on Saturday"));
    assertThat(created.status()).as("created: %s", created.body()).isEqualTo(201);
    String id = created.json().getString("announcementId");

    assertThat(ids(east)).contains(id);
    assertThat(ids(west)).doesNotContain(id);
    JsonObject notice = inbox(east).getJsonObject(0);
    assertThat(notice.getString("kind")).isEqualTo("ANNOUNCEMENT");
    assertThat(notice.getString("title")).isEqualTo("新公告：Water off on Saturday");
    assertThat(notice.getJsonObject("data").getString("announcementId")).isEqualTo(id);
    assertThat(inbox(west)).isEmpty();
  }

  @Test
  void
      an_admins_city_wide_announcement_reaches_every_community_pinned_first_and_not_past_its_end() {
    SignedIn west = Sessions.inCommunity(client, WEST);
    String plain =
        announce(admin, announcement("city", "Plain")).json().getString("announcementId");
    String pinned =
        announce(admin, announcement("city", "Pinned").put("pinned", true))
            .json()
            .getString("announcementId");
    String over =
        announce(
                admin,
                announcement("city", "Over")
                    .put("until", Instant.now().minus(1, ChronoUnit.HOURS).toString()))
            .json()
            .getString("announcementId");

    List<String> shown = ids(west);
    assertThat(shown).contains(plain, pinned).doesNotContain(over);
    assertThat(shown.indexOf(pinned)).isLessThan(shown.indexOf(plain));
  }

  @Test
  void residents_and_staff_of_another_community_cannot_announce_and_bad_input_is_refused() {
    SignedIn resident = Sessions.inCommunity(client, EAST);
    SignedIn westStaff = Sessions.withRoles(client, WEST, "STAFF");

    Reply byResident = announce(resident, announcement(EAST, "Mine"));
    assertThat(byResident.status()).isEqualTo(403);
    assertThat(byResident.code()).isEqualTo("FORBIDDEN");
    Reply elsewhere = announce(westStaff, announcement(EAST, "Not mine"));
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(elsewhere.code()).isEqualTo("NOT_FOUND");
    Reply cityByStaff = announce(eastStaff, announcement("city", "Too wide"));
    assertThat(cityByStaff.status()).isEqualTo(404);
    Reply unknownField = announce(eastStaff, announcement(EAST, "x").put("createdBy", "me"));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.code()).isEqualTo("VALIDATION_FAILED");
    Reply noSuchActivity =
        announce(
            eastStaff,
            announcement(EAST, "Come along")
                .put(
                    "link",
                    new JsonObject()
                        .put("kind", "ACTIVITY")
                        .put("id", "act_aaaaaaaaaaaaaaaaaaaa")));
    assertThat(noSuchActivity.status()).isEqualTo(404);
    List<String> refused = List.of("Mine", "Not mine", "Too wide", "x", "Come along");
    assertThat(titles(resident)).doesNotContainAnyElementsOf(refused);
    assertThat(
            inbox(resident).stream()
                .map(n -> ((JsonObject) n).getJsonObject("data").getString("title"))
                .toList())
        .doesNotContainAnyElementsOf(refused);
  }

  private static JsonObject announcement(String scopeId, String title) {
    return new JsonObject().put("scopeId", scopeId).put("title", title).put("body", "Details.");
  }

  private static Reply announce(SignedIn who, JsonObject body) {
    return client.post("createAnnouncement", "/v1/announcements", body, who.accessToken());
  }

  private static List<String> ids(SignedIn who) {
    Reply reply = client.get("listAnnouncements", "/v1/announcements", who.accessToken());
    assertThat(reply.status()).isEqualTo(200);
    return reply.json().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("announcementId"))
        .toList();
  }

  private static List<String> titles(SignedIn who) {
    return client
        .get("listAnnouncements", "/v1/announcements", who.accessToken())
        .json()
        .getJsonArray("items")
        .stream()
        .map(item -> ((JsonObject) item).getString("title"))
        .toList();
  }

  private static JsonArray inbox(SignedIn who) {
    return client
        .get("listNotifications", "/v1/me/notifications", who.accessToken())
        .json()
        .getJsonArray("items");
  }
}
