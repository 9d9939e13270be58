package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable jar the ccaas image ships: it refuses to start half-configured, and it serves. */
class PackagedServerIT {
  private static final Path JAR = Path.of("target", "points-chaincode.jar");

  @Test
  void without_settings_it_stops_with_one_clear_message() throws Exception {
    final Process process = start(Map.of());

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip())
        .isEqualTo("points chaincode cannot start: CHAINCODE_SERVER_ADDRESS is not set");
  }

  @Test
  void with_settings_it_listens_for_the_peer() throws Exception {
    final int port = freePort();
    final Process process =
        start(
            Map.of(
                "CHAINCODE_SERVER_ADDRESS",
                "127.0.0.1:" + port,
                "CHAINCODE_ID",
                "points_1.0:test",
                "CHAINCODE_TLS_DISABLED",
                "true"));
    try {
      assertThat(listensWithin(port, Duration.ofSeconds(60)))
          .as("chaincode server on port %d", port)
          .isTrue();
      assertThat(process.isAlive()).isTrue();
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process start(final Map<String, String> env) throws IOException {
    assertThat(Files.exists(JAR)).as("shaded jar %s", JAR).isTrue();
    final ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            JAR.toString());
    builder.environment().remove("CHAINCODE_SERVER_ADDRESS");
    builder.environment().remove("CHAINCODE_ID");
    builder.environment().put("CORE_CHAINCODE_LOGGING_LEVEL", "WARNING");
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private static boolean listensWithin(final int port, final Duration timeout)
      throws InterruptedException {
    final Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return true;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
