package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chinese first: problems and the inbox in zh-CN unless the request asks for English or the member
 * chose it; the answer says which language it is in. Through HTTP.
 */
class LanguageApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000031";
  private static final String EAST = "c-east-1a";
  private static final String NO_ACTIVITY = "/v1/activities/act_aaaaaaaaaaaaaaaaaaaa";
  private static TestApi api;
  private static ApiClient client;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN));
    client = api.client;
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Reply get(String operationId, String uri, SignedIn who, String acceptLanguage) {
    return client.send(
        operationId,
        HttpMethod.GET,
        uri,
        null,
        who == null ? null : who.accessToken(),
        acceptLanguage == null ? Map.of() : Map.of("Accept-Language", acceptLanguage));
  }

  private static Reply updateMe(SignedIn who, JsonObject body, String acceptLanguage) {
    return client.send(
        "updateMe",
        HttpMethod.PATCH,
        "/v1/me",
        body,
        who.accessToken(),
        acceptLanguage == null ? Map.of() : Map.of("Accept-Language", acceptLanguage));
  }

  @Nested
  class Problems {

    @Test
    void are_chinese_by_default() {
      SignedIn resident = Sessions.resident(client);
      Reply reply = get("getActivity", NO_ACTIVITY, resident, null);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.code()).isEqualTo("NOT_FOUND");
      assertThat(reply.json().getString("title")).isEqualTo("未找到");
      assertThat(reply.json().getString("detail")).isEqualTo("没有活动 act_aaaaaaaaaaaaaaaaaaaa。");
      assertThat(reply.header("Content-Language")).isEqualTo("zh-CN");
    }

    @Test
    void are_english_when_the_request_asks_for_english() {
      SignedIn resident = Sessions.resident(client);
      Reply reply = get("getActivity", NO_ACTIVITY, resident, "en");
      assertThat(reply.code()).isEqualTo("NOT_FOUND");
      assertThat(reply.json().getString("title")).isEqualTo("Not found");
      assertThat(reply.json().getString("detail"))
          .isEqualTo("No activity act_aaaaaaaaaaaaaaaaaaaa.");
      assertThat(reply.header("Content-Language")).isEqualTo("en");
    }

    @ParameterizedTest(name = "Accept-Language: {0} → {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "en-US | en",
          "en-GB,en;q=0.9 | en",
          "zh | zh-CN",
          "zh-CN | zh-CN",
          "zh-Hans-CN | zh-CN",
          "zh-TW | zh-CN",
          "fr-FR, en;q=0.5 | en",
          "en;q=0.2, zh;q=0.8 | zh-CN",
          "zh;q=0, en | en",
          "* | zh-CN",
          "fr | zh-CN",
          "not a language header;;; | zh-CN"
        })
    void follow_the_preferences_of_accept_language(String header, String language) {
      Reply reply = get("getMe", "/v1/me", null, header);
      assertThat(reply.code()).isEqualTo("UNAUTHENTICATED");
      assertThat(reply.header("Content-Language")).isEqualTo(language);
      assertThat(reply.json().getString("title"))
          .isEqualTo(language.equals("en") ? "Authentication is required" : "需要登录");
    }

    @Test
    void before_routing_and_validation_are_translated_too() {
      Reply route = get(null, "/v1/nothing-here", null, "en");
      assertThat(route.code()).isEqualTo("ROUTE_NOT_FOUND");
      assertThat(route.json().getString("detail")).isEqualTo("There is no /v1/nothing-here.");
      assertThat(get(null, "/v1/nothing-here", null, null).json().getString("detail"))
          .isEqualTo("没有 /v1/nothing-here 这个地址。");
    }

    @Test
    void field_messages_of_our_own_are_in_the_request_language() {
      SignedIn resident = Sessions.resident(client);
      JsonObject massAssignment = new JsonObject().put("roles", new JsonArray().add("ADMIN"));

      Reply chinese = updateMe(resident, massAssignment, null);
      Reply english = updateMe(resident, massAssignment, "en");

      assertThat(chinese.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(chinese.json().getString("detail")).isEqualTo("请求无效：roles");
      assertThat(chinese.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject().put("field", "roles").put("message", "不是此请求的字段（未知或只读）"));
      assertThat(english.json().getString("detail")).isEqualTo("The request is invalid: roles");
      assertThat(english.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "roles")
                  .put("message", "is not a field of this request (unknown or read-only)"));
    }
  }

  @Nested
  class Limits {

    @Test
    void name_the_number_in_both_languages() {
      SignedIn resident = Sessions.resident(client);
      JsonObject tooLong = new JsonObject().put("displayName", "长".repeat(41));

      Reply chinese = updateMe(resident, tooLong, null);
      Reply english = updateMe(resident, tooLong, "en");

      assertThat(chinese.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject().put("field", "displayName").put("message", "太长（最多 40 个字符）"));
      assertThat(english.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "displayName")
                  .put("message", "is too long (at most 40 characters)"));
    }

    @Test
    void of_query_parameters_and_patterns_are_named_too() {
      SignedIn resident = Sessions.resident(client);
      String page = "/v1/me/notifications?limit=101";
      JsonObject notHttps = new JsonObject().put("avatarUrl", "http://example.org/a.png");

      assertThat(get("listNotifications", page, resident, null).json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject().put("field", "query.limit").put("message", "太大（最大为 100）"));
      assertThat(get("listNotifications", page, resident, "en").json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "query.limit")
                  .put("message", "is too large (at most 100)"));
      assertThat(updateMe(resident, notHttps, "en").json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "avatarUrl")
                  .put("message", "does not match the pattern ^https://"));
    }
  }

  @Nested
  class AMembersChoice {

    @Test
    void is_stored_and_shown_and_chinese_until_chosen() {
      SignedIn resident = Sessions.resident(client);
      assertThat(get("getMe", "/v1/me", resident, null).json().getString("language"))
          .isEqualTo("zh-CN");

      Reply chosen = updateMe(resident, new JsonObject().put("language", "en"), null);

      assertThat(chosen.status()).isEqualTo(200);
      assertThat(chosen.json().getString("language")).isEqualTo("en");
      assertThat(get("getMe", "/v1/me", resident, null).json().getString("language"))
          .isEqualTo("en");
    }

    @Test
    void decides_problems_of_requests_without_accept_language() {
      SignedIn resident = Sessions.resident(client);
      updateMe(resident, new JsonObject().put("language", "en"), null);

      Reply unasked = get("getActivity", NO_ACTIVITY, resident, null);
      Reply askedChinese = get("getActivity", NO_ACTIVITY, resident, "zh-CN");

      assertThat(unasked.json().getString("detail"))
          .isEqualTo("No activity act_aaaaaaaaaaaaaaaaaaaa.");
      assertThat(unasked.header("Content-Language")).isEqualTo("en");
      assertThat(askedChinese.json().getString("title")).isEqualTo("未找到");
      assertThat(askedChinese.header("Content-Language")).isEqualTo("zh-CN");
    }

    @Test
    void can_go_back_to_chinese() {
      SignedIn resident = Sessions.resident(client);
      updateMe(resident, new JsonObject().put("language", "en"), null);
      updateMe(resident, new JsonObject().put("language", "zh-CN"), null);
      assertThat(get("getActivity", NO_ACTIVITY, resident, null).json().getString("title"))
          .isEqualTo("未找到");
    }

    @ParameterizedTest
    @CsvSource({"fr", "EN", "zh", "zh-cn", "''"})
    void is_one_of_the_languages_we_have(String language) {
      SignedIn resident = Sessions.resident(client);
      Reply refused = updateMe(resident, new JsonObject().put("language", language), "en");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(refused.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "language")
                  .put("message", "is not one of the allowed values"));
      assertThat(get("getMe", "/v1/me", resident, null).json().getString("language"))
          .isEqualTo("zh-CN");
    }

    @Test
    void of_the_wrong_type_is_refused_in_chinese_by_default() {
      SignedIn resident = Sessions.resident(client);
      Reply refused = updateMe(resident, new JsonObject().put("language", 7), null);
      assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(refused.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .isEqualTo("类型错误");
    }
  }

  @Nested
  class TheInbox {

    /** A resident whose submission staff rejected; the inbox entry is the rejection notice. */
    private SignedIn rejectedResident() {
      CatalogFixtures fixtures = new CatalogFixtures(client);
      SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
      SignedIn staff = Sessions.withRoles(client, EAST, "STAFF");
      String activityId =
          fixtures.activity(
              staff,
              fixtures.activityBody(
                  EAST, "VOLUNTEER", fixtures.rule(admin, "VOLUNTEER", 10), "NONE"));
      SignedIn resident = Sessions.inCommunity(client, EAST);
      String submissionId = fixtures.submitted(resident, activityId, 1);
      Reply rejected =
          client.post(
              "rejectSubmission",
              "/v1/submissions/" + submissionId + "/reject",
              new JsonObject().put("reason", "Not on the list"),
              staff.accessToken());
      assertThat(rejected.status()).isEqualTo(200);
      return resident;
    }

    private JsonObject firstNotice(SignedIn resident, String acceptLanguage) {
      Reply inbox = get("listNotifications", "/v1/me/notifications", resident, acceptLanguage);
      assertThat(inbox.status()).isEqualTo(200);
      return inbox.json().getJsonArray("items").getJsonObject(0);
    }

    @Test
    void is_read_in_chinese_by_default_and_in_english_on_request() {
      SignedIn resident = rejectedResident();

      JsonObject chinese = firstNotice(resident, null);
      JsonObject english = firstNotice(resident, "en-US");

      assertThat(chinese.getString("kind")).isEqualTo("SUBMISSION_REJECTED");
      assertThat(chinese.getString("title")).isEqualTo("提交未通过");
      assertThat(chinese.getJsonObject("data").getString("activityTitle")).isEqualTo("Clean-up");
      assertThat(chinese.getString("body")).isEqualTo("工作人员未通过你参加活动“Clean-up”的提交：Not on the list");
      assertThat(english.getString("notificationId"))
          .isEqualTo(chinese.getString("notificationId"));
      assertThat(english.getString("title")).isEqualTo("Submission rejected");
      assertThat(english.getString("body"))
          .isEqualTo("Staff rejected your claim for \"Clean-up\": Not on the list");
    }

    @Test
    void already_there_turns_english_when_the_member_chooses_english() {
      SignedIn resident = rejectedResident();
      assertThat(firstNotice(resident, null).getString("title")).isEqualTo("提交未通过");

      updateMe(resident, new JsonObject().put("language", "en"), null);

      JsonObject notice = firstNotice(resident, null);
      assertThat(notice.getString("title")).isEqualTo("Submission rejected");
      Reply read =
          client.post(
              "markNotificationRead",
              "/v1/me/notifications/" + notice.getString("notificationId") + "/read",
              null,
              resident.accessToken());
      assertThat(read.json().getString("body"))
          .isEqualTo("Staff rejected your claim for \"Clean-up\": Not on the list");
      assertThat(read.header("Content-Language")).isEqualTo("en");
    }
  }
}
