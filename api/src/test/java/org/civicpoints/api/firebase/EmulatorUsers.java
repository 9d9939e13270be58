package org.civicpoints.api.firebase;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Signs users in against the Auth emulator's REST API, the way the phone app's SDK would. */
final class EmulatorUsers {

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  EmulatorUsers(String host) {
    this.base = "http://" + host;
  }

  record IdToken(String idToken, String uid) {}

  /** sendVerificationCode → the code the emulator "sent" → signInWithPhoneNumber. */
  IdToken signInWithPhone(String phone) throws IOException, InterruptedException {
    JsonObject sent =
        post(
            "/identitytoolkit.googleapis.com/v1/accounts:sendVerificationCode?key=any",
            new JsonObject().put("phoneNumber", phone).put("recaptchaToken", "emulator"));
    String sessionInfo = sent.getString("sessionInfo");
    String code =
        get("/emulator/v1/projects/" + FirebaseAuthEmulator.PROJECT_ID + "/verificationCodes")
            .getJsonArray("verificationCodes")
            .stream()
            .map(JsonObject.class::cast)
            .filter(c -> sessionInfo.equals(c.getString("sessionInfo")))
            .findFirst()
            .orElseThrow()
            .getString("code");
    JsonObject signedIn =
        post(
            "/identitytoolkit.googleapis.com/v1/accounts:signInWithPhoneNumber?key=any",
            new JsonObject().put("sessionInfo", sessionInfo).put("code", code));
    return new IdToken(signedIn.getString("idToken"), signedIn.getString("localId"));
  }

  IdToken signUpWithEmail(String email) throws IOException, InterruptedException {
    JsonObject signedUp =
        post(
            "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=any",
            new JsonObject()
                .put("email", email)
                .put("password", "correct-horse-battery")
                .put("returnSecureToken", true));
    return new IdToken(signedUp.getString("idToken"), signedUp.getString("localId"));
  }

  /**
   * The emulator's tokens are unsigned, so a changed payload is exactly what another project would
   * get.
   */
  static String withClaims(String idToken, JsonObject changes) {
    String[] parts = idToken.split("\\.", -1);
    JsonObject payload =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    payload.mergeIn(changes);
    String encoded =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + encoded + "." + parts[2];
  }

  private JsonObject post(String path, JsonObject body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build();
    return send(request);
  }

  private JsonObject get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).build());
  }

  private JsonObject send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> reply = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IllegalStateException(
          request.uri() + " answered " + reply.statusCode() + ": " + reply.body());
    }
    return new JsonObject(reply.body());
  }
}
