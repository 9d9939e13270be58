package org.civicpoints.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.config.ConfigException;
import org.civicpoints.api.service.SigningKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code java -jar civic-points-api.jar} runs the API from the environment; {@code java -jar
 * civic-points-api.jar rotate-jwt-key} puts a new signing key first in JWT_KEY_FILE and keeps the
 * previous one verifying, in the file's own format (PEM or JWK set); restart the API to sign with
 * it.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final long SHUTDOWN_WAIT_SECONDS = 60;

  private Main() {}

  public static void main(String[] args) throws Exception {
    routeJavaUtilLoggingToSlf4j();
    ApiConfig config;
    try {
      config = ApiConfig.fromEnv(System.getenv());
    } catch (ConfigException invalid) {
      LOG.error(invalid.getMessage());
      System.exit(2);
      return;
    }
    if (args.length == 1 && args[0].equals("rotate-jwt-key")) {
      rotateSigningKey(config.jwt().keyFile(), config.isDev());
      return;
    }
    run(config);
  }

  /**
   * The devnet and the chaincode shim log through JUL (and System.Logger, which defaults to JUL).
   */
  private static void routeJavaUtilLoggingToSlf4j() {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  static void rotateSigningKey(Path keyFile, boolean mayCreate) throws Exception {
    SigningKeys rotated = SigningKeys.loadOrCreate(keyFile, mayCreate).rotated();
    rotated.writeTo(keyFile);
    LOG.info(
        "JWT key file {} now signs with {}", keyFile.toAbsolutePath(), rotated.current().kid());
  }

  private static void run(ApiConfig config) {
    Vertx vertx = Vertx.builder().with(vertxOptions()).build();
    vertx
        .deployVerticle(new ApiVerticle(config))
        .onFailure(
            failure -> {
              LOG.error("The API did not start", failure);
              vertx.close().onComplete(closed -> System.exit(1));
            });
    // SIGTERM: undeploying stops the listener, drains in-flight requests and closes the clients.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(vertx), "api-shutdown"));
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception stillClosing) {
      LOG.warn("Shutdown did not finish within {} s", SHUTDOWN_WAIT_SECONDS, stillClosing);
    }
  }

  /** Metrics must be configured when Vert.x is created; tests use the same options. */
  public static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setMetricsOptions(
            new MicrometerMetricsOptions()
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setJvmMetricsEnabled(true)
                .setEnabled(true));
  }
}
