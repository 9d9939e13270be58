package org.civicpoints.api.firebase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.auth.AuthErrorCode;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.auth.FirebaseAuthException;
import com.google.firebase.internal.FirebaseProcessEnvironment;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.civicpoints.api.firebase.EmulatorUsers.IdToken;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deleting an account signed in with Firebase (the Auth emulator): the Firebase user is deleted
 * through the Admin SDK, the old ID token no longer signs in, and "fresh" is Firebase's auth_time.
 */
@ExtendWith(FirebaseAuthEmulator.class)
class DataRightsFirebaseIT {

  private static final Clock clock = Clock.systemUTC();
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
            "data-rights-admin");
    auth = FirebaseAuth.getInstance(admin);
  }

  @AfterAll
  static void stop() {
    admin.delete();
    api.close();
  }

  private static Reply exchange(String idToken) {
    return api.client.post(
        "signInWithFirebase", "/v1/auth/firebase", new JsonObject().put("idToken", idToken), null);
  }

  @Test
  void deleting_the_account_deletes_the_firebase_user_and_the_old_id_token_is_refused()
      throws Exception {
    String phone = Sessions.freshPhone();
    IdToken token = users.signInWithPhone(phone);
    Reply session = exchange(token.idToken());
    assertThat(session.status()).isEqualTo(200);
    String memberId = session.json().getJsonObject("member").getString("memberId");
    String access = session.json().getString("accessToken");

    Reply deleted = api.client.delete("deleteMe", "/v1/me", access);

    assertThat(deleted.status()).isEqualTo(204);
    FirebaseAuthException gone =
        catchThrowableOfType(FirebaseAuthException.class, () -> auth.getUser(token.uid()));
    assertThat(gone).as("the Firebase user is deleted").isNotNull();
    assertThat(gone.getAuthErrorCode()).isEqualTo(AuthErrorCode.USER_NOT_FOUND);
    Reply again = exchange(token.idToken());
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.code()).isEqualTo("INVALID_ID_TOKEN");
    assertThat(api.client.delete("deleteMe", "/v1/me", access).status())
        .as("a repeat answers the same")
        .isEqualTo(204);
    // The same phone, proven again, is a new Firebase user and a new, empty member.
    Reply comeBack = exchange(users.signInWithPhone(phone).idToken());
    assertThat(comeBack.status()).isEqualTo(200);
    assertThat(comeBack.json().getJsonObject("member").getString("memberId"))
        .isNotEqualTo(memberId);
  }

  @Test
  void an_old_firebase_authentication_exchanged_now_is_not_fresh() throws Exception {
    IdToken token = users.signInWithPhone(Sessions.freshPhone());
    // An app exchanging an ID token whose SMS check (auth_time) was six minutes ago.
    long sixMinutesAgo = clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond();
    Reply session =
        exchange(
            EmulatorUsers.withClaims(
                token.idToken(), new JsonObject().put("auth_time", sixMinutesAgo)));
    assertThat(session.status()).isEqualTo(200);

    Reply refused =
        api.client.delete("deleteMe", "/v1/me", session.json().getString("accessToken"));

    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("REAUTHENTICATION_REQUIRED");
    assertThat(auth.getUser(token.uid()).getUid()).isEqualTo(token.uid());
  }
}
