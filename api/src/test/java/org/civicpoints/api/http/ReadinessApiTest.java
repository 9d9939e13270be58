package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.civicpoints.api.support.TestDevnet;
import org.junit.jupiter.api.Test;

/**
 * Readiness reports each dependency and answers 503 as soon as one is down; liveness does not care.
 */
class ReadinessApiTest {

  @Test
  void a_peer_that_goes_away_makes_the_api_not_ready() {
    try (TestDevnet peer = TestDevnet.start();
        TestApi api = TestApi.start(peer.settings())) {
      assertThat(api.client.get("getReadiness", "/health/ready", null).status()).isEqualTo(200);
      peer.devnet.faults().stopServer();

      Reply reply = api.client.get("getReadiness", "/health/ready", null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getString("status")).isEqualTo("DOWN");
      assertThat(reply.json().getJsonObject("checks").getString("ledger")).isEqualTo("down");
      assertThat(reply.json().getJsonObject("checks").getString("mongo")).isEqualTo("up");
      assertThat(api.client.get("getLiveness", "/health/live", null).status()).isEqualTo(200);
    }
  }

  @Test
  void a_store_that_goes_away_makes_the_api_not_ready() {
    try (TestApi api = TestApi.start()) {
      assertThat(api.client.get("getReadiness", "/health/ready", null).status()).isEqualTo(200);
      api.stopMongo();
      Reply reply = api.client.get("getReadiness", "/health/ready", null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().getJsonObject("checks").getString("mongo")).isEqualTo("down");
      assertThat(reply.json().getJsonObject("checks").getString("ledger")).isEqualTo("up");
    }
  }
}
