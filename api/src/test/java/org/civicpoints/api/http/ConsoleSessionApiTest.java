package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console's session transport: the refresh token as an HttpOnly cookie, never in the body,
 * used only from the server's own origin or a configured console origin.
 */
class ConsoleSessionApiTest {

  private static final String CONSOLE_ORIGIN = "https://console.example.test";
  private static TestApi api;
  private static ApiClient client;
  private static String ownOrigin;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("CONSOLE_ORIGINS", CONSOLE_ORIGIN + ", http://other.example.test"));
    client = api.client;
    ownOrigin = "http://127.0.0.1:" + api.verticle.actualPort();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Map<String, String> headers(String cookie, String origin) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Session-Transport", "cookie");
    if (cookie != null) {
      headers.put("Cookie", "civic_refresh=" + cookie);
    }
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return headers;
  }

  private static Reply devSignIn(Map<String, String> headers) {
    JsonObject body = new JsonObject().put("phone", Sessions.freshPhone());
    return client.send(
        "signInForDevelopment", HttpMethod.POST, "/v1/auth/dev", body, null, headers);
  }

  private static Reply cookieRefresh(String cookie, String origin) {
    return client.send(
        "refreshSession", HttpMethod.POST, "/v1/auth/refresh", null, null, headers(cookie, origin));
  }

  private static Reply cookieLogout(String cookie, String origin) {
    return client.send(
        "logout", HttpMethod.POST, "/v1/auth/logout", null, null, headers(cookie, origin));
  }

  /** The civic_refresh Set-Cookie header of a reply (exactly one). */
  private static String setCookie(Reply reply) {
    List<String> cookies =
        reply.headers().getAll("Set-Cookie").stream()
            .filter(c -> c.startsWith("civic_refresh="))
            .toList();
    assertThat(cookies).hasSize(1);
    return cookies.get(0);
  }

  private static String token(Reply reply) {
    String cookie = setCookie(reply);
    return cookie.substring("civic_refresh=".length(), cookie.indexOf(';'));
  }

  private static String signedInCookie() {
    Reply reply = devSignIn(headers(null, null));
    assertThat(reply.status()).isEqualTo(200);
    return token(reply);
  }

  @Test
  void a_cookie_sign_in_sets_an_http_only_strict_cookie_and_keeps_the_token_out_of_the_body() {
    Reply reply = devSignIn(headers(null, null));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().containsKey("refreshToken")).isFalse();
    assertThat(reply.json().getString("accessToken")).isNotBlank();
    // Attribute names are case-insensitive (RFC 6265 section 5.2); Netty writes "HTTPOnly".
    String cookie = setCookie(reply).toLowerCase(java.util.Locale.ROOT);
    assertThat(token(reply)).hasSizeGreaterThanOrEqualTo(43);
    assertThat(cookie)
        .contains("; path=/v1/auth", "; httponly", "; samesite=strict", "; max-age=2592000")
        .as("a development server runs on plain http")
        .doesNotContain("secure");
  }

  @Test
  void a_cookie_refresh_from_the_own_origin_rotates_the_cookie() {
    String first = signedInCookie();

    Reply reply = cookieRefresh(first, ownOrigin);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().containsKey("refreshToken")).isFalse();
    assertThat(token(reply)).isNotEqualTo(first);
    assertThat(client.get("getMe", "/v1/me", reply.json().getString("accessToken")).status())
        .isEqualTo(200);
    assertThat(cookieRefresh(token(reply), ownOrigin).status()).isEqualTo(200);
  }

  @Test
  void a_configured_console_origin_may_refresh_with_the_cookie() {
    assertThat(cookieRefresh(signedInCookie(), CONSOLE_ORIGIN).status()).isEqualTo(200);
    assertThat(cookieRefresh(signedInCookie(), "http://other.example.test").status())
        .isEqualTo(200);
  }

  @Test
  void
      a_cookie_refresh_without_origin_or_from_a_foreign_origin_is_refused_and_the_cookie_stays_valid() {
    String cookie = signedInCookie();

    for (String origin :
        new String[] {
          null,
          "https://evil.example",
          "null",
          CONSOLE_ORIGIN + ".evil.example",
          "https://127.0.0.1:" + api.verticle.actualPort() + "0"
        }) {
      Reply refused = cookieRefresh(cookie, origin);
      assertThat(refused.status()).as("Origin %s", origin).isEqualTo(403);
      assertThat(refused.code()).isEqualTo("ORIGIN_NOT_ALLOWED");
      assertThat(refused.headers().getAll("Set-Cookie")).isEmpty();
    }
    assertThat(cookieRefresh(cookie, ownOrigin).status()).isEqualTo(200);
  }

  @Test
  void a_rotated_cookie_presented_again_revokes_the_sign_in() {
    String first = signedInCookie();
    String second = token(cookieRefresh(first, ownOrigin));

    Reply reuse = cookieRefresh(first, ownOrigin);

    assertThat(reuse.status()).isEqualTo(401);
    assertThat(reuse.code()).isEqualTo("REFRESH_TOKEN_REUSED");
    Reply afterRevocation = cookieRefresh(second, ownOrigin);
    assertThat(afterRevocation.status()).isEqualTo(401);
    assertThat(afterRevocation.code()).isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void a_cookie_refresh_without_a_cookie_is_an_invalid_refresh_token() {
    Reply reply = cookieRefresh(null, ownOrigin);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void sign_out_with_the_cookie_ends_the_sign_in_and_clears_the_cookie() {
    String cookie = signedInCookie();

    Reply reply = cookieLogout(cookie, ownOrigin);

    assertThat(reply.status()).isEqualTo(204);
    assertThat(setCookie(reply))
        .startsWith("civic_refresh=;")
        .contains("; Max-Age=0", "; Path=/v1/auth");
    assertThat(cookieRefresh(cookie, ownOrigin).code()).isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void sign_out_with_the_cookie_from_a_foreign_origin_is_refused_and_the_sign_in_stays() {
    String cookie = signedInCookie();

    Reply refused = cookieLogout(cookie, "https://evil.example");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("ORIGIN_NOT_ALLOWED");
    assertThat(cookieRefresh(cookie, ownOrigin).status()).isEqualTo(200);
  }

  @Test
  void the_json_flow_is_unchanged_no_cookie_and_the_token_in_the_body() {
    Reply signIn = devSignIn(Map.of());
    assertThat(signIn.headers().getAll("Set-Cookie")).isEmpty();
    String refreshToken = signIn.json().getString("refreshToken");
    assertThat(refreshToken).hasSizeGreaterThanOrEqualTo(43);

    Reply refreshed =
        client.post(
            "refreshSession",
            "/v1/auth/refresh",
            new JsonObject().put("refreshToken", refreshToken),
            null);
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.json().getString("refreshToken")).isNotEqualTo(refreshToken);
    assertThat(refreshed.headers().getAll("Set-Cookie")).isEmpty();

    Reply reuse =
        client.post(
            "refreshSession",
            "/v1/auth/refresh",
            new JsonObject().put("refreshToken", refreshToken),
            null);
    assertThat(reuse.code()).isEqualTo("REFRESH_TOKEN_REUSED");
  }

  @Test
  void without_a_token_in_the_body_or_a_cookie_a_refresh_or_logout_is_invalid_as_before() {
    Reply empty = client.post("refreshSession", "/v1/auth/refresh", new JsonObject(), null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.code()).isEqualTo("VALIDATION_FAILED");
    assertThat(empty.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("refreshToken");

    for (String operation : List.of("refreshSession", "logout")) {
      String path = operation.equals("logout") ? "/v1/auth/logout" : "/v1/auth/refresh";
      Reply none = client.post(operation, path, null, null);
      assertThat(none.status()).as(operation).isEqualTo(400);
      assertThat(none.code()).isEqualTo("VALIDATION_FAILED");
    }
  }

  @Test
  void a_cookie_answer_is_not_cached() {
    Reply reply = cookieRefresh(signedInCookie(), ownOrigin);

    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void a_development_server_offers_the_dev_form_and_no_firebase() {
    Reply reply = client.get("getConsoleSettings", "/v1/console/settings", null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(new JsonObject().put("signInMethods", List.of("DEV")));
  }
}
