package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.config.ApiConfig;

/**
 * What the web console needs to know before anyone signs in: which sign-in forms to offer, and the
 * public configuration of the Firebase web app (never a secret). The console page's
 * Content-Security-Policy lets it reach Firebase only when Firebase sign-in is offered.
 */
public final class ConsoleSettings {

  /** Sources Firebase phone sign-in needs in production: its APIs and the reCAPTCHA check. */
  private static final String RECAPTCHA =
      "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/";

  private static final String FIREBASE_APIS =
      "https://identitytoolkit.googleapis.com https://securetoken.googleapis.com";

  private final boolean devSignIn;
  private final Optional<JsonObject> firebase;

  public ConsoleSettings(ApiConfig config) {
    this.devSignIn = config.isDev();
    this.firebase = firebaseWebApp(config);
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of("getConsoleSettings", this::getConsoleSettings);
  }

  private void getConsoleSettings(RoutingContext ctx) {
    JsonArray methods = new JsonArray();
    firebase.ifPresent(app -> methods.add("FIREBASE_PHONE"));
    if (devSignIn) {
      methods.add("DEV");
    }
    JsonObject answer = new JsonObject().put("signInMethods", methods);
    firebase.ifPresent(app -> answer.put("firebase", app));
    Replies.json(ctx, 200, () -> Future.succeededFuture(answer));
  }

  /** {@link ConsoleSite#CONTENT_SECURITY_POLICY}, opened to Firebase when the console uses it. */
  public String contentSecurityPolicy() {
    if (firebase.isEmpty()) {
      return ConsoleSite.CONTENT_SECURITY_POLICY;
    }
    String emulator = firebase.get().getString("authEmulatorUrl");
    String connect = emulator != null ? emulator : FIREBASE_APIS;
    String policy =
        ConsoleSite.CONTENT_SECURITY_POLICY.replace(
            "connect-src 'self'", "connect-src 'self' " + connect);
    return emulator != null
        ? policy
        : policy.replace("script-src 'self'", "script-src 'self' " + RECAPTCHA)
            + "; frame-src https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/ https://"
            + firebase.get().getString("authDomain");
  }

  /**
   * Offered when the server verifies Firebase ID tokens and the console can get one: with the web
   * app's API key, or against the Auth emulator (which takes any key).
   */
  private static Optional<JsonObject> firebaseWebApp(ApiConfig config) {
    Optional<String> emulator = config.firebase().authEmulatorHost();
    Optional<String> apiKey =
        config.console().firebaseWebApiKey().or(() -> emulator.map(host -> "emulator-api-key"));
    return config
        .firebase()
        .projectId()
        .flatMap(project -> apiKey.map(key -> app(config, project, key)));
  }

  private static JsonObject app(ApiConfig config, String projectId, String apiKey) {
    JsonObject app =
        new JsonObject()
            .put("apiKey", apiKey)
            .put(
                "authDomain",
                config.console().firebaseAuthDomain().orElse(projectId + ".firebaseapp.com"))
            .put("projectId", projectId);
    config
        .firebase()
        .authEmulatorHost()
        .ifPresent(host -> app.put("authEmulatorUrl", "http://" + host));
    return app;
  }
}
