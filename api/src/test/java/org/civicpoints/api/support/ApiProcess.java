package org.civicpoints.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API jar in a JVM of its own, as {@code java -jar} runs it, with its log copied to a file. Its
 * HTTP port, its embedded MongoDB's port and its embedded devnet's endpoint come from the lines its
 * start-up logs (HTTP_PORT=0, FABRIC_DEVNET_PORT=0). An API given MONGO_URI and
 * FABRIC_PEER_ENDPOINT starts neither embedded part: then {@link #mongoPort} is 0 and {@link
 * #devnetEndpoint} null.
 */
public final class ApiProcess {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern LISTENING = Pattern.compile("listening on [^\\s:\"]+:(\\d+)");
  private static final Pattern MONGO =
      Pattern.compile("Embedded MongoDB \\(.*?\\) on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern DEVNET =
      Pattern.compile("Embedded Fabric devnet \\(.*?\\) on ([0-9.]+:\\d+)");

  /** 128 + SIGKILL's number: how a JVM reports a child that SIGKILL ended. */
  public static final int KILLED_BY_SIGKILL = 128 + 9;

  private final Process process;
  private final Path log;
  public final int httpPort;
  public final int mongoPort;
  public final String devnetEndpoint;

  private ApiProcess(
      Process process, Path log, int httpPort, int mongoPort, String devnetEndpoint) {
    this.process = process;
    this.log = log;
    this.httpPort = httpPort;
    this.mongoPort = mongoPort;
    this.devnetEndpoint = devnetEndpoint;
  }

  /** Blocking: starts the jar with exactly this environment and waits until it listens. */
  public static ApiProcess start(Path jar, Map<String, String> environment, Path log) {
    assertThat(jar).as("the API jar (built by mvn package, before failsafe runs)").exists();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      Files.createDirectories(log.getParent());
      Process process = builder.start();
      StartUp startUp = new StartUp();
      Thread copier = new Thread(() -> copyLog(process, log, startUp), "api-process-log");
      copier.setDaemon(true);
      copier.start();
      startUp.listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      // Both embedded parts, when started, log before the API listens.
      return new ApiProcess(
          process,
          log,
          startUp.listening.join(),
          startUp.mongo.getNow(0),
          startUp.devnet.getNow(null));
    } catch (Exception failed) {
      throw new IllegalStateException("the API did not start; its log is " + log, failed);
    }
  }

  /** What start-up logs, found line by line. */
  private static final class StartUp {
    final CompletableFuture<Integer> listening = new CompletableFuture<>();
    final CompletableFuture<Integer> mongo = new CompletableFuture<>();
    final CompletableFuture<String> devnet = new CompletableFuture<>();

    void read(String line) {
      found(MONGO, line).ifPresent(port -> mongo.complete(Integer.parseInt(port)));
      found(DEVNET, line).ifPresent(devnet::complete);
      found(LISTENING, line).ifPresent(port -> listening.complete(Integer.parseInt(port)));
    }

    void ended() {
      List.of(listening, mongo, devnet)
          .forEach(
              value -> value.completeExceptionally(new IllegalStateException("the API exited")));
    }

    private static java.util.Optional<String> found(Pattern pattern, String line) {
      Matcher matcher = pattern.matcher(line);
      return matcher.find() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }
  }

  private static void copyLog(Process process, Path log, StartUp startUp) {
    try (BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        out.println(line);
        out.flush();
        startUp.read(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      startUp.ended();
    }
  }

  /**
   * Blocking: {@link Process#destroyForcibly()}, which on Linux is SIGKILL: no shutdown hook, no
   * last commit. Answers the exit status.
   */
  public int kill() {
    process.destroyForcibly();
    try {
      return process.waitFor();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  /** The API's log, as far as it has been written. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }
}
