package org.civicpoints.api.notices;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A member's push preferences by topic, their own only. Through HTTP. */
class NotificationPreferencesApiTest {

  private static final String PATH = "/v1/me/notification-preferences";
  private static TestApi api;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    client = api.client;
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void everything_is_pushed_until_the_member_turns_a_topic_off_and_only_that_topic_changes() {
    SignedIn member = Sessions.resident(client);
    assertThat(preferences(member)).isEqualTo(all(true, true, true));

    Reply quiet = change(member, new JsonObject().put("reminders", false));
    assertThat(quiet.status()).isEqualTo(200);
    assertThat(quiet.json()).isEqualTo(all(false, true, true));
    assertThat(change(member, new JsonObject().put("results", false)).json())
        .isEqualTo(all(false, true, false));
    assertThat(preferences(member)).isEqualTo(all(false, true, false));
  }

  @Test
  void one_members_choice_is_not_anothers() {
    SignedIn quiet = Sessions.resident(client);
    SignedIn other = Sessions.resident(client);
    change(quiet, new JsonObject().put("announcements", false));
    assertThat(preferences(other)).isEqualTo(all(true, true, true));
  }

  @Test
  void unknown_fields_wrong_types_an_empty_change_and_no_session_are_refused() {
    SignedIn member = Sessions.resident(client);
    Reply unknown = change(member, new JsonObject().put("reminders", false).put("memberId", "x"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("VALIDATION_FAILED");
    Reply wrongType = change(member, new JsonObject().put("results", "no"));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(change(member, new JsonObject()).status()).isEqualTo(400);
    assertThat(preferences(member)).as("nothing changed").isEqualTo(all(true, true, true));
    assertThat(client.get("getNotificationPreferences", PATH, null).status()).isEqualTo(401);
  }

  private static JsonObject all(boolean reminders, boolean announcements, boolean results) {
    return new JsonObject()
        .put("reminders", reminders)
        .put("announcements", announcements)
        .put("results", results);
  }

  private static JsonObject preferences(SignedIn member) {
    Reply reply = client.get("getNotificationPreferences", PATH, member.accessToken());
    assertThat(reply.status()).isEqualTo(200);
    return reply.json();
  }

  private static Reply change(SignedIn member, JsonObject change) {
    return client.patch("changeNotificationPreferences", PATH, change, member.accessToken());
  }
}
