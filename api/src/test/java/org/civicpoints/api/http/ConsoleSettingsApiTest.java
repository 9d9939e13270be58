package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/** What the console learns before sign-in, and the page policy that lets it reach Firebase. */
class ConsoleSettingsApiTest {

  @Test
  void a_server_with_the_auth_emulator_offers_firebase_first_and_the_page_may_reach_the_emulator() {
    Map<String, String> firebase =
        Map.of(
            "FIREBASE_PROJECT_ID", "demo-console",
            "FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099");
    try (TestApi api = TestApi.start(firebase)) {
      Reply reply = api.client.get("getConsoleSettings", "/v1/console/settings", null);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json())
          .isEqualTo(
              new JsonObject()
                  .put("signInMethods", List.of("FIREBASE_PHONE", "DEV"))
                  .put(
                      "firebase",
                      new JsonObject()
                          .put("apiKey", "emulator-api-key")
                          .put("authDomain", "demo-console.firebaseapp.com")
                          .put("projectId", "demo-console")
                          .put("authEmulatorUrl", "http://127.0.0.1:9099")));
      assertThat(api.client.fetchDocument("/console/").header("Content-Security-Policy"))
          .contains("connect-src 'self' http://127.0.0.1:9099;", "script-src 'self';")
          .doesNotContain("google");
    }
  }

  @Test
  void production_firebase_needs_the_web_api_key_and_opens_the_policy_to_firebase_and_recaptcha() {
    String policy =
        new ConsoleSettings(
                ApiConfig.fromEnv(
                    Map.of(
                        "CIVIC_ENV", "dev",
                        "FIREBASE_PROJECT_ID", "civic",
                        "FIREBASE_WEB_API_KEY", "AIza-public",
                        "FIREBASE_AUTH_DOMAIN", "login.civic.example")))
            .contentSecurityPolicy();

    assertThat(policy)
        .contains(
            "script-src 'self' https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/;",
            "connect-src 'self' https://identitytoolkit.googleapis.com https://securetoken.googleapis.com;",
            "frame-src https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/"
                + " https://login.civic.example")
        .doesNotContain("unsafe-eval")
        .doesNotContainPattern("script-src[^;]*unsafe-inline");
    assertThat(
            new ConsoleSettings(
                    ApiConfig.fromEnv(Map.of("CIVIC_ENV", "dev", "FIREBASE_PROJECT_ID", "civic")))
                .contentSecurityPolicy())
        .as("without the web API key the console cannot use Firebase: the policy stays closed")
        .isEqualTo(ConsoleSite.CONTENT_SECURITY_POLICY);
  }
}
