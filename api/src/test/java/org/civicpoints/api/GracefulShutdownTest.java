package org.civicpoints.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/**
 * What SIGTERM triggers (undeploying the verticle): new connections are refused, in-flight requests
 * finish.
 */
class GracefulShutdownTest {

  @Test
  void stopping_refuses_new_connections_and_finishes_the_request_in_flight() throws Exception {
    try (TestApi api = TestApi.start()) {
      int port = api.verticle.actualPort();
      byte[] body =
          ("{\"phone\": \"" + Sessions.freshPhone() + "\"}").getBytes(StandardCharsets.UTF_8);
      try (Socket inFlight = new Socket("127.0.0.1", port)) {
        OutputStream out = inFlight.getOutputStream();
        out.write(
            ("POST /v1/auth/dev HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 5);
        out.flush();
        // The server must have read the request head before the shutdown starts: a connection
        // with no request yet is idle, and shutting down closes idle connections at once.
        Eventually.until(
            "the server reading the request in flight",
            Duration.ofSeconds(10),
            () -> activeRequests(api) > 1); // the scrape that asks is active too

        Future<Void> stopped = api.vertx.undeploy(api.deploymentId);
        Eventually.until("new connections refused", Duration.ofSeconds(10), () -> refused(port));
        assertThat(stopped.isComplete()).as("still draining the request in flight").isFalse();

        out.write(body, 5, body.length - 5);
        out.flush();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(inFlight.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        inFlight.close();
        stopped.await();
      }
    }
  }

  /** The HTTP requests the server is handling, as its metrics count them. */
  private static double activeRequests(TestApi api) {
    return api.client
        .get("getMetrics", "/metrics", null)
        .body()
        .toString()
        .lines()
        .filter(line -> line.startsWith("vertx_http_server_active_requests"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static boolean refused(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (IOException other) {
      throw new UncheckedIOException(other);
    }
  }
}
