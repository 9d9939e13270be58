package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as other programs run it: {@code java -jar target/fabric-devnet.jar --data DIR
 * --port 0} prints the ready line, serves the points chaincode, and stops cleanly on SIGTERM.
 */
class MainIT {

  @TempDir Path dataDir;

  @Test
  void the_jar_prints_the_ready_line_serves_the_points_chaincode_and_stops_on_sigterm()
      throws Exception {
    Path jar = Path.of("target", "fabric-devnet.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path devnetDir = dataDir.resolve("devnet");
    Path stderr = dataDir.resolve("stderr.txt");
    Process process =
        new ProcessBuilder(
                javaBinary(), "-jar", jar.toString(), "--data", devnetDir.toString(), "--port", "0")
            .redirectError(stderr.toFile())
            .start();
    try (BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      // Bounded: a devnet that never gets ready must fail the test, not hang the build.
      String ready = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(3, TimeUnit.MINUTES);

      assertThat(ready).matches("devnet ready 127\\.0\\.0\\.1:\\d+");
      assertThat(pointsRule(ready.substring("devnet ready ".length()), devnetDir))
          .contains("\"ruleId\":\"jar-rule\"");

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
    } finally {
      process.destroyForcibly();
    }
    assertThat(Files.readString(stderr)).contains("devnet stopped at ledger height 2");
  }

  /** Submits and reads back a rule through the real client, as the api would. */
  private static String pointsRule(String endpoint, Path devnetDir) throws Exception {
    Organization organization = Msp.loadOrCreate(devnetDir).organization();
    ManagedChannel channel =
        io.grpc.Grpc.newChannelBuilder(
                endpoint,
                io.grpc.TlsChannelCredentials.newBuilder()
                    .trustManager(organization.tlsCaCertificate().toFile())
                    .build())
            .build();
    try (Gateway admin = GatewayClients.gateway(channel, organization, "admin")) {
      var points = admin.getNetwork("civic").getContract("points");
      points.submitTransaction(
          "PutRule",
          """
                    {"ruleId":"jar-rule","version":1,"category":"VOLUNTEER","points":5,"active":true}""");
      return new String(points.evaluateTransaction("GetRule", "jar-rule"), UTF_8);
    } finally {
      GatewayClients.shutdown(channel);
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
