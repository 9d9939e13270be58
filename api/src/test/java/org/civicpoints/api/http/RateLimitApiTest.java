package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

  @Test
  void a_forwarded_for_header_from_an_untrusted_peer_does_not_escape_the_limit() {
    try (TestApi api = TestApi.start(Map.of("AUTH_RATE_LIMIT_PER_IP", "2"))) {
      assertThat(devSignInFrom(api, "198.51.100.1").status()).isEqualTo(200);
      assertThat(devSignInFrom(api, "198.51.100.2").status()).isEqualTo(200);

      Reply spoofed = devSignInFrom(api, "198.51.100.3");
      assertThat(spoofed.status())
          .as("without TRUSTED_PROXIES every request counts against the socket address")
          .isEqualTo(429);
      assertThat(spoofed.code()).isEqualTo("RATE_LIMITED");
    }
  }

  @Test
  void behind_a_trusted_proxy_the_forwarded_client_address_is_limited() {
    try (TestApi api =
        TestApi.start(
            Map.of(
                "AUTH_RATE_LIMIT_PER_IP", "2",
                "TRUSTED_PROXIES", "127.0.0.1/32, 2001:db8:ffff::/48"))) {
      assertThat(devSignInFrom(api, "203.0.113.7").status()).isEqualTo(200);
      assertThat(devSignInFrom(api, "203.0.113.7").status()).isEqualTo(200);
      assertThat(devSignInFrom(api, "203.0.113.7").status()).isEqualTo(429);

      assertThat(devSignInFrom(api, "203.0.113.8").status())
          .as("another client behind the same proxy has its own budget")
          .isEqualTo(200);
      assertThat(devSignInFrom(api, "192.0.2.66, 203.0.113.7").status())
          .as("what the client wrote left of the proxy's entry is ignored")
          .isEqualTo(429);
      assertThat(devSignInFrom(api, "2001:db8::7, 2001:db8:ffff::1").status())
          .as("a trusted IPv6 hop is skipped; its client is counted")
          .isEqualTo(200);
      assertThat(devSignInFrom(api, "2001:db8:0:0::7").status())
          .as("the same IPv6 client written differently is the same client")
          .isEqualTo(200);
      assertThat(devSignInFrom(api, "2001:db8::7").status()).isEqualTo(429);
    }
  }

  private static Reply devSignInFrom(TestApi api, String forwardedFor) {
    return api.client.sendRaw(
        "signInForDevelopment",
        HttpMethod.POST,
        "/v1/auth/dev",
        Buffer.buffer(new JsonObject().put("phone", Sessions.freshPhone()).encode()),
        Map.of("Content-Type", "application/json", "X-Forwarded-For", forwardedFor));
  }

  private static Reply devSignIn(TestApi api, String phone) {
    return api.client.post(
        "signInForDevelopment", "/v1/auth/dev", new JsonObject().put("phone", phone), null);
  }
}
