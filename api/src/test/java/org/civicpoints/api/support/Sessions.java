package org.civicpoints.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Signs test users in through POST /v1/auth/dev, each with a phone number no other test uses. */
public final class Sessions {

  private static final AtomicLong NEXT_PHONE =
      new AtomicLong(System.nanoTime() % 1_000_000L * 1000);

  private Sessions() {}

  public record SignedIn(String accessToken, String refreshToken, JsonObject member, String phone) {
    public String memberId() {
      return member.getString("memberId");
    }
  }

  public static String freshPhone() {
    return "+86139" + String.format("%08d", NEXT_PHONE.incrementAndGet() % 100_000_000L);
  }

  public static SignedIn resident(ApiClient client) {
    return signIn(client, new JsonObject().put("phone", freshPhone()));
  }

  public static SignedIn withRoles(ApiClient client, String communityId, String... roles) {
    return signIn(
        client,
        new JsonObject()
            .put("phone", freshPhone())
            .put("roles", List.of(roles))
            .put("communityId", communityId));
  }

  public static SignedIn inCommunity(ApiClient client, String communityId) {
    return signIn(
        client, new JsonObject().put("phone", freshPhone()).put("communityId", communityId));
  }

  public static SignedIn signIn(ApiClient client, JsonObject request) {
    ApiClient.Reply reply = client.post("signInForDevelopment", "/v1/auth/dev", request, null);
    assertThat(reply.status()).as("dev sign-in: %s", reply.body()).isEqualTo(200);
    JsonObject body = reply.json();
    return new SignedIn(
        body.getString("accessToken"),
        body.getString("refreshToken"),
        body.getJsonObject("member"),
        request.getString("phone"));
  }
}
