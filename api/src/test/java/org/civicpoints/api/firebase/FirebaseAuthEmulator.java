package org.civicpoints.api.firebase;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.support.Eventually;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the Firebase Auth emulator (npm firebase-tools from api/node_modules) once per test JVM,
 * every listener on 127.0.0.1 with free ports, and stops it with SIGTERM, process tree included,
 * when the JVM's tests are done.
 */
public final class FirebaseAuthEmulator implements BeforeAllCallback, ParameterResolver {

  /** Injected into test methods and lifecycle methods: where the emulator listens. */
  public record Endpoint(String host) {}

  public static final String PROJECT_ID = "demo-civic-points";
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FirebaseAuthEmulator.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("emulator", key -> Running.start(), Running.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Endpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    beforeAll(context);
    return new Endpoint(
        context.getRoot().getStore(NAMESPACE).get("emulator", Running.class).host());
  }

  static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final Process process;
    private final int authPort;
    private final Path directory;

    private Running(Process process, int authPort, Path directory) {
      this.process = process;
      this.authPort = authPort;
      this.directory = directory;
    }

    static Running start() {
      try {
        Path directory = Files.createTempDirectory("firebase-emulator");
        int authPort = freePort();
        Files.writeString(
            directory.resolve("firebase.json"),
            new JsonObject()
                .put(
                    "emulators",
                    new JsonObject()
                        .put("auth", listener(authPort))
                        .put("hub", listener(freePort()))
                        .put("logging", listener(freePort()))
                        .put("ui", new JsonObject().put("enabled", false))
                        .put("singleProjectMode", true))
                .encodePrettily());
        Path firebase = Path.of("node_modules/.bin/firebase").toAbsolutePath();
        if (!Files.isExecutable(firebase)) {
          throw new IllegalStateException(
              firebase + " is missing: the build runs 'npm ci' in api/ to install it");
        }
        ProcessBuilder builder =
            new ProcessBuilder(
                    firebase.toString(),
                    "emulators:start",
                    "--only",
                    "auth",
                    "--project",
                    PROJECT_ID,
                    "--config",
                    directory.resolve("firebase.json").toString())
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("emulator.log").toFile());
        builder.environment().put("NO_UPDATE_NOTIFIER", "1");
        Running running = new Running(builder.start(), authPort, directory);
        running.awaitReady();
        return running;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the Firebase Auth emulator", e);
      }
    }

    String host() {
      return "127.0.0.1:" + authPort;
    }

    private void awaitReady() throws IOException {
      HttpClient http = HttpClient.newHttpClient();
      try {
        Eventually.until(
            "the Firebase Auth emulator", READY_WITHIN, Duration.ofMillis(250), () -> ready(http));
      } catch (AssertionError notReady) {
        close();
        throw new IllegalStateException(
            "The Firebase Auth emulator was not ready within " + READY_WITHIN + ":\n" + log(),
            notReady);
      }
    }

    private boolean ready(HttpClient http) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The Firebase Auth emulator exited:\n" + logTail());
      }
      try {
        HttpResponse<String> reply =
            http.send(
                HttpRequest.newBuilder(URI.create("http://" + host() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        return reply.statusCode() == 200 && reply.body().contains("\"ready\": true");
      } catch (IOException notListeningYet) {
        return false;
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the emulator", interrupted);
      }
    }

    private String logTail() {
      try {
        return log();
      } catch (IOException unreadable) {
        return "(the emulator log is unreadable: " + unreadable.getMessage() + ")";
      }
    }

    private String log() throws IOException {
      List<String> lines = Files.readAllLines(directory.resolve("emulator.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM to the whole tree (firebase-tools may fork), then wait; SIGKILL only if it hangs. */
    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private static JsonObject listener(int port) {
      return new JsonObject().put("host", "127.0.0.1").put("port", port);
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
