package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OpsApiTest {

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

  @Nested
  class Health {
    @Test
    void liveness_is_up() {
      Reply reply = client.get("getLiveness", "/health/live", null);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getString("status")).isEqualTo("UP");
    }

    @Test
    void readiness_checks_mongo_and_queries_the_ledger() {
      Reply reply = client.get("getReadiness", "/health/ready", null);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.json().getJsonObject("checks").getString("mongo")).isEqualTo("up");
      assertThat(reply.json().getJsonObject("checks").getString("ledger")).isEqualTo("up");
    }

    @Test
    void metrics_are_in_prometheus_format_and_count_requests() {
      client.get("getLiveness", "/health/live", null);
      Reply reply = client.get("getMetrics", "/metrics", null);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("text/plain");
      assertThat(reply.body().toString()).contains("vertx_http_server_requests_total");
    }
  }

  @Nested
  class ContractDocuments {
    @Test
    void the_contract_is_served_as_packaged() throws IOException {
      Reply reply = client.fetchDocument("/openapi.yaml");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).startsWith("application/yaml");
      String source = Files.readString(Path.of("../mobile-contracts/openapi.yaml"));
      assertThat(reply.body().toString()).isEqualTo(source);
    }

    @Test
    void swagger_ui_is_served_from_the_webjar() {
      Reply page = client.fetchDocument("/docs");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().toString()).contains("/openapi.yaml").contains("swagger-ui-bundle.js");
      Reply bundle = client.fetchDocument("/docs/swagger-ui-bundle.js");
      assertThat(bundle.status()).isEqualTo(200);
      assertThat(bundle.body().length()).isGreaterThan(100_000);
    }

    @Test
    void jwks_publishes_the_signing_key() {
      Reply reply = client.get("getJwks", "/.well-known/jwks.json", null);
      assertThat(reply.status()).isEqualTo(200);
      JsonObject key = reply.json().getJsonArray("keys").getJsonObject(0);
      assertThat(key.getString("kty")).isEqualTo("EC");
      assertThat(key.getString("crv")).isEqualTo("P-256");
      assertThat(key.getString("alg")).isEqualTo("ES256");
      assertThat(key.containsKey("d")).as("never the private part").isFalse();
    }
  }

  @Nested
  class Failures {
    @Test
    void an_unknown_route_is_a_404_problem() {
      Reply reply = client.send(null, HttpMethod.GET, "/v1/nothing-here", null, null);
      assertThat(reply.status()).isEqualTo(404);
      assertThat(reply.code()).isEqualTo("ROUTE_NOT_FOUND");
    }

    @Test
    void a_wrong_method_is_a_405_problem() {
      Reply reply = client.send(null, HttpMethod.DELETE, "/v1/communities", null, null);
      assertThat(reply.status()).isEqualTo(405);
      assertThat(reply.code()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void a_body_over_one_mebibyte_is_a_413_problem() {
      Buffer twoMebibytes = Buffer.buffer(new byte[2 * 1024 * 1024]);
      Reply reply =
          client.sendRaw(
              "signInForDevelopment",
              HttpMethod.POST,
              "/v1/auth/dev",
              twoMebibytes,
              Map.of("Content-Type", "application/json"));
      assertThat(reply.status()).isEqualTo(413);
      assertThat(reply.code()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void invalid_json_is_a_400_problem() {
      Reply reply =
          client.sendRaw(
              "signInForDevelopment",
              HttpMethod.POST,
              "/v1/auth/dev",
              Buffer.buffer("{\"phone\": "),
              Map.of("Content-Type", "application/json"));
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.code()).isEqualTo("MALFORMED_JSON");
    }

    @Test
    void deeply_nested_json_is_refused_without_a_500() {
      Buffer nested = Buffer.buffer("[".repeat(5000) + "]".repeat(5000));
      Reply reply =
          client.sendRaw(
              "signInForDevelopment",
              HttpMethod.POST,
              "/v1/auth/dev",
              nested,
              Map.of("Content-Type", "application/json"));
      assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void a_json_array_where_an_object_belongs_names_the_body() {
      Reply reply =
          client.sendRaw(
              "signInForDevelopment",
              HttpMethod.POST,
              "/v1/auth/dev",
              Buffer.buffer("[{\"phone\": \"+8613800000000\"}]"),
              Map.of("Content-Type", "application/json"));
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("body");
    }

    @Test
    void a_body_that_is_not_json_is_a_415_problem() {
      Reply reply =
          client.sendRaw(
              "signInForDevelopment",
              HttpMethod.POST,
              "/v1/auth/dev",
              Buffer.buffer("phone=+8613800000000"),
              Map.of("Content-Type", "application/x-www-form-urlencoded"));
      assertThat(reply.status()).isEqualTo(415);
      assertThat(reply.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void a_missing_body_names_the_body() {
      Reply reply =
          client.sendRaw("signInForDevelopment", HttpMethod.POST, "/v1/auth/dev", null, Map.of());
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("body");
    }

    @Test
    void a_w3c_traceparent_sets_the_trace_id() {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      Reply reply =
          client.sendRaw(
              null,
              HttpMethod.GET,
              "/v1/nothing-here",
              null,
              Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
      assertThat(reply.header("X-Trace-Id")).isEqualTo(traceId);
      assertThat(reply.json().getString("traceId")).isEqualTo(traceId);
    }
  }
}
