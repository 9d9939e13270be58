package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/**
 * The README's one-command run: no MONGO_URI, no keys; everything lands in DATA_DIR and survives a
 * restart.
 */
class EmbeddedDefaultsTest {

  @Test
  void a_dev_server_keeps_members_keys_and_the_demo_city_across_restarts() {
    Path dataDir = TestApi.temporaryDirectory();
    ApiConfig config =
        ApiConfig.fromEnv(
            Map.of(
                "HTTP_HOST",
                "127.0.0.1",
                "HTTP_PORT",
                "0",
                "DATA_DIR",
                dataDir.toString(),
                "FABRIC_DEVNET_PORT",
                "0"));
    String phone = Sessions.freshPhone();

    SignedIn before;
    try (TestApi first = TestApi.startWith(config, null, dataDir)) {
      before =
          Sessions.signIn(
              first.client, new JsonObject().put("phone", phone).put("communityId", "c-east-1a"));
    }
    assertThat(dataDir.resolve("mongo/journal-000001.log")).exists();
    assertThat(dataDir.resolve("jwt-signing-keys.json")).exists();
    assertThat(dataDir.resolve("devnet/organizations")).isDirectory();
    assertThat(dataDir.resolve("devnet/ledger/civic/blocks.log")).exists();

    try (TestApi second = TestApi.startWith(config, null, dataDir)) {
      assertThat(
              second
                  .client
                  .get("getMe", "/v1/me", before.accessToken())
                  .json()
                  .getString("memberId"))
          .as("the access token from before the restart still verifies")
          .isEqualTo(before.memberId());
      SignedIn after = Sessions.signIn(second.client, new JsonObject().put("phone", phone));
      assertThat(after.memberId()).isEqualTo(before.memberId());
      assertThat(after.member().getString("communityId")).isEqualTo("c-east-1a");
      assertThat(
              second
                  .client
                  .post(
                      "refreshSession",
                      "/v1/auth/refresh",
                      new JsonObject().put("refreshToken", before.refreshToken()),
                      null)
                  .status())
          .isEqualTo(200);
      assertThat(
              second
                  .client
                  .get("listCommunities", "/v1/communities", null)
                  .json()
                  .getJsonArray("items"))
          .as("seeding is idempotent")
          .hasSize(8);
      assertThat(
              second
                  .client
                  .get("getReadiness", "/health/ready", null)
                  .json()
                  .getJsonObject("checks")
                  .getString("ledger"))
          .as("the reopened devnet answers queries")
          .isEqualTo("up");
    }
  }
}
