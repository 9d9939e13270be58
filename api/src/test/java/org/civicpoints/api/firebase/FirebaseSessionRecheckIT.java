package org.civicpoints.api.firebase;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.auth.FirebaseAuthException;
import com.google.firebase.auth.UserRecord.UpdateRequest;
import com.google.firebase.internal.FirebaseProcessEnvironment;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.civicpoints.api.firebase.EmulatorUsers.IdToken;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Firebase sign-in asks Firebase again, at least once a day on refresh, whether its user is still
 * enabled, present and not revoked; the server's clock is moved a day on instead of waiting one.
 * The clock only moves forward and every test has its own user, so order does not matter.
 */
@ExtendWith(FirebaseAuthEmulator.class)
class FirebaseSessionRecheckIT {

  private static final Duration A_DAY_AND_AN_HOUR = Duration.ofHours(25);
  private static final MovableClock clock = new MovableClock();
  private static TestApi api;
  private static EmulatorUsers users;
  private static FirebaseApp admin;
  private static FirebaseAuth auth;

  @BeforeAll
  static void start(FirebaseAuthEmulator.Endpoint endpoint) {
    String emulator = endpoint.host();
    api =
        TestApi.start(
            Map.of(
                "FIREBASE_PROJECT_ID",
                FirebaseAuthEmulator.PROJECT_ID,
                "FIREBASE_AUTH_EMULATOR_HOST",
                emulator),
            clock);
    users = new EmulatorUsers(emulator);
    FirebaseProcessEnvironment.setenv("FIREBASE_AUTH_EMULATOR_HOST", emulator);
    admin =
        FirebaseApp.initializeApp(
            FirebaseOptions.builder()
                .setProjectId(FirebaseAuthEmulator.PROJECT_ID)
                .setCredentials(GoogleCredentials.create(new AccessToken("owner", null)))
                .build(),
            "recheck-admin");
    auth = FirebaseAuth.getInstance(admin);
  }

  @AfterAll
  static void stop() {
    admin.delete();
    api.close();
  }

  private record Signed(String uid, String idToken, String refreshToken) {}

  private static Signed signIn() throws Exception {
    IdToken token = users.signInWithPhone(Sessions.freshPhone());
    Reply reply =
        api.client.post(
            "signInWithFirebase",
            "/v1/auth/firebase",
            new JsonObject().put("idToken", token.idToken()),
            null);
    assertThat(reply.status()).isEqualTo(200);
    return new Signed(token.uid(), token.idToken(), reply.json().getString("refreshToken"));
  }

  private static Reply refresh(String refreshToken) {
    return api.client.post(
        "refreshSession",
        "/v1/auth/refresh",
        new JsonObject().put("refreshToken", refreshToken),
        null);
  }

  private static void assertRevoked(Reply reply) {
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_REFRESH_TOKEN");
    assertThat(reply.json().getString("detail")).contains("disabled, deleted or signed out");
  }

  @Test
  void an_active_user_refreshes_day_after_day() throws Exception {
    Signed signed = signIn();
    clock.advance(A_DAY_AND_AN_HOUR);
    Reply first = refresh(signed.refreshToken());
    assertThat(first.status()).isEqualTo(200);
    clock.advance(A_DAY_AND_AN_HOUR);
    assertThat(refresh(first.json().getString("refreshToken")).status()).isEqualTo(200);
  }

  @Test
  void a_disabled_user_is_refused_at_the_daily_check_and_the_family_is_revoked() throws Exception {
    Signed signed = signIn();
    auth.updateUser(new UpdateRequest(signed.uid()).setDisabled(true));
    clock.advance(A_DAY_AND_AN_HOUR);

    assertRevoked(refresh(signed.refreshToken()));
    auth.updateUser(new UpdateRequest(signed.uid()).setDisabled(false));
    Reply again = refresh(signed.refreshToken());
    assertThat(again.status()).as("enabling the user does not revive the family").isEqualTo(401);
    assertThat(again.code()).isEqualTo("INVALID_REFRESH_TOKEN");
  }

  @Test
  void within_a_day_of_the_last_check_firebase_is_not_asked() throws Exception {
    Signed signed = signIn();
    auth.updateUser(new UpdateRequest(signed.uid()).setDisabled(true));
    Reply sameDay = refresh(signed.refreshToken());
    assertThat(sameDay.status()).isEqualTo(200);

    clock.advance(A_DAY_AND_AN_HOUR);
    assertRevoked(refresh(sameDay.json().getString("refreshToken")));
  }

  @Test
  void a_user_signed_out_everywhere_after_the_sign_in_is_refused() throws Exception {
    Signed signed = signIn();
    revokeAfterTheSignIn(signed);
    clock.advance(A_DAY_AND_AN_HOUR);
    assertRevoked(refresh(signed.refreshToken()));
  }

  @Test
  void a_deleted_user_is_refused() throws Exception {
    Signed signed = signIn();
    auth.deleteUser(signed.uid());
    clock.advance(A_DAY_AND_AN_HOUR);
    assertRevoked(refresh(signed.refreshToken()));
  }

  /**
   * Firebase compares whole seconds: a revocation in the sign-in's own second does not count, so
   * revoke again until the user's tokens-valid-after mark is past the ID token's auth_time.
   */
  private static void revokeAfterTheSignIn(Signed signed) throws FirebaseAuthException {
    long authTimeMillis = claims(signed.idToken()).getLong("auth_time") * 1000;
    do {
      auth.revokeRefreshTokens(signed.uid());
    } while (auth.getUser(signed.uid()).getTokensValidAfterTimestamp() <= authTimeMillis);
  }

  private static JsonObject claims(String idToken) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8));
  }
}
