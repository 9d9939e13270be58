package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the server does before routing: request heads too long or too large are problems, a head
 * that trickles in is cut off, a silent connection is closed, and every auth answer forbids
 * caching.
 */
class HttpEdgeApiTest {

  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  private static TestApi api;

  @BeforeAll
  static void start() {
    api =
        TestApi.start(
            Map.of(
                "HTTP_HEADER_TIMEOUT_SECONDS", Long.toString(HEAD_TIMEOUT.toSeconds()),
                "HTTP_IDLE_TIMEOUT_SECONDS", Long.toString(IDLE_TIMEOUT.toSeconds())));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Nested
  class HeadLimits {
    @Test
    void a_request_line_over_the_limit_is_a_414_problem() {
      Reply reply =
          api.client.sendRaw(
              null, HttpMethod.GET, "/v1/me?filler=" + "a".repeat(5000), null, Map.of());
      assertThat(reply.status()).isEqualTo(414);
      assertThat(reply.code()).isEqualTo("URI_TOO_LONG");
      assertThat(reply.json().getString("detail")).contains("4096 bytes");
    }

    @Test
    void headers_over_the_limit_are_a_431_problem_that_forbids_caching() {
      Reply reply =
          api.client.sendRaw(
              null,
              HttpMethod.POST,
              "/v1/auth/refresh",
              null,
              Map.of("X-Filler", "b".repeat(9000)));
      assertThat(reply.status()).isEqualTo(431);
      assertThat(reply.code()).isEqualTo("HEADERS_TOO_LARGE");
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void a_request_just_within_the_limits_is_served() {
      Reply reply =
          api.client.sendRaw(
              "getMe", HttpMethod.GET, "/v1/me?f=" + "a".repeat(3900), null, Map.of());
      assertThat(reply.status()).as("401: routed, not refused at the edge").isEqualTo(401);
    }
  }

  @Nested
  class Timeouts {
    @Test
    void a_head_sent_a_byte_at_a_time_is_cut_off_after_the_head_timeout() throws IOException {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long started = System.nanoTime();
        byte[] trickle = "X-Slow: ".concat("z".repeat(200)).getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        boolean closed = false;
        socket.setSoTimeout(100);
        while (!closed && sent < trickle.length) {
          out.write(trickle[sent++]);
          out.flush();
          closed = closedByServer(socket.getInputStream());
        }
        Duration cutOffAfter = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf(
            "slow head cut off after %d ms, %d bytes%n", cutOffAfter.toMillis(), sent);
        assertThat(closed).as("the server closed the connection mid-head").isTrue();
        assertThat(cutOffAfter).isBetween(HEAD_TIMEOUT, HEAD_TIMEOUT.multipliedBy(2));
      }
    }

    @Test
    void a_kept_alive_connection_waiting_for_its_next_request_is_not_a_slow_head()
        throws IOException {
      try (Socket socket = connect()) {
        assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
        socket.setSoTimeout((int) HEAD_TIMEOUT.multipliedBy(2).toMillis());
        assertThat(closedByServer(socket.getInputStream()))
            .as("still open after twice the head timeout without a byte")
            .isFalse();
        assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
      }
    }

    @Test
    void a_silent_connection_is_closed_after_the_idle_timeout() throws IOException {
      try (Socket socket = connect()) {
        long started = System.nanoTime();
        socket.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(3).toMillis());
        assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
        Duration closedAfter = Duration.ofNanos(System.nanoTime() - started);
        assertThat(closedAfter)
            .isBetween(IDLE_TIMEOUT.minusMillis(200), IDLE_TIMEOUT.multipliedBy(2));
      }
    }

    private Socket connect() throws IOException {
      return new Socket("127.0.0.1", api.verticle.actualPort());
    }

    /** Sends a whole GET and reads its answer (a small one, in one read). */
    private String exchange(Socket socket) throws IOException {
      socket
          .getOutputStream()
          .write(
              "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(10_000);
      byte[] buffer = new byte[8192];
      int read = socket.getInputStream().read(buffer);
      return new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
    }

    /** True at end of stream or reset; false when nothing came within the socket's timeout. */
    private boolean closedByServer(InputStream in) throws IOException {
      try {
        return in.read() == -1;
      } catch (SocketTimeoutException stillOpen) {
        return false;
      } catch (java.net.SocketException reset) {
        return true;
      }
    }
  }

  @Nested
  class AuthAnswers {
    @Test
    void a_session_answer_forbids_caching() {
      Reply reply =
          api.client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject().put("phone", org.civicpoints.api.support.Sessions.freshPhone()),
              null);
      assertThat(reply.status()).isEqualTo(200);
      assertNoStore(reply);
    }

    @Test
    void auth_errors_forbid_caching_too() {
      assertNoStore(
          api.client.post(
              "refreshSession",
              "/v1/auth/refresh",
              new JsonObject().put("refreshToken", "unknown"),
              null));
      assertNoStore(api.client.post("refreshSession", "/v1/auth/refresh", new JsonObject(), null));
      assertNoStore(api.client.get(null, "/v1/auth/nowhere", null));
      Reply logout =
          api.client.post(
              "logout", "/v1/auth/logout", new JsonObject().put("refreshToken", "x"), null);
      assertThat(logout.status()).isEqualTo(204);
      assertNoStore(logout);
    }

    @Test
    void other_answers_do_not_need_it() {
      assertThat(api.client.get(null, "/v1/nowhere", null).header("Cache-Control")).isNull();
    }

    private void assertNoStore(Reply reply) {
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
      assertThat(reply.header("Pragma")).isEqualTo("no-cache");
    }
  }
}
