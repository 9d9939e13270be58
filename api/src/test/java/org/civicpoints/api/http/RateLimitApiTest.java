package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

class RateLimitApiTest {

  @Test
  void sign_ins_are_limited_per_phone_and_per_client_ip() {
    try (TestApi api =
        TestApi.start(Map.of("AUTH_RATE_LIMIT_PER_IP", "4", "AUTH_RATE_LIMIT_PER_PHONE", "2"))) {
      String phone = Sessions.freshPhone();
      assertThat(devSignIn(api, phone).status()).isEqualTo(200);
      assertThat(devSignIn(api, phone).status()).isEqualTo(200);

      Reply perPhone = devSignIn(api, phone);
      assertThat(perPhone.status()).isEqualTo(429);
      assertThat(perPhone.code()).isEqualTo("RATE_LIMITED");
      assertThat(Integer.parseInt(perPhone.header("Retry-After"))).isBetween(1, 60);

      assertThat(devSignIn(api, Sessions.freshPhone()).status())
          .as("another phone, same IP")
          .isEqualTo(200);
      Reply perIp = devSignIn(api, Sessions.freshPhone());
      assertThat(perIp.status()).isEqualTo(429);
      Reply refresh =
          api.client.post(
              "refreshSession",
              "/v1/auth/refresh",
              new JsonObject().put("refreshToken", "anything"),
              null);
      assertThat(refresh.status()).as("refresh shares the IP budget").isEqualTo(429);
    }
  }

  private static Reply devSignIn(TestApi api, String phone) {
    return api.client.post(
        "signInForDevelopment", "/v1/auth/dev", new JsonObject().put("phone", phone), null);
  }
}
