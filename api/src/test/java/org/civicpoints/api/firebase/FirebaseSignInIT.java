package org.civicpoints.api.firebase;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.internal.FirebaseProcessEnvironment;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.civicpoints.api.firebase.EmulatorUsers.IdToken;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real ID tokens from the Firebase Auth emulator, verified by the API with the real Admin SDK. */
@ExtendWith(FirebaseAuthEmulator.class)
class FirebaseSignInIT {

  private static TestApi api;
  private static ApiClient client;
  private static EmulatorUsers users;
  private static FirebaseApp admin;

  @BeforeAll
  static void start(FirebaseAuthEmulator.Endpoint endpoint) {
    String emulator = endpoint.host();
    api =
        TestApi.start(
            Map.of(
                "FIREBASE_PROJECT_ID",
                FirebaseAuthEmulator.PROJECT_ID,
                "FIREBASE_AUTH_EMULATOR_HOST",
                emulator));
    client = api.client;
    users = new EmulatorUsers(emulator);
    FirebaseProcessEnvironment.setenv("FIREBASE_AUTH_EMULATOR_HOST", emulator);
    admin =
        FirebaseApp.initializeApp(
            FirebaseOptions.builder()
                .setProjectId(FirebaseAuthEmulator.PROJECT_ID)
                .setCredentials(GoogleCredentials.create(new AccessToken("owner", null)))
                .build(),
            "test-admin");
  }

  @AfterAll
  static void stop() {
    admin.delete();
    api.close();
  }

  /** In English: the tests below read the refusal's detail. */
  private static Reply exchange(String idToken) {
    return client.send(
        "signInWithFirebase",
        HttpMethod.POST,
        "/v1/auth/firebase",
        new JsonObject().put("idToken", idToken),
        null,
        Map.of("Accept-Language", "en"));
  }

  @Test
  void a_phone_sign_in_creates_a_member_once_and_opens_a_session() throws Exception {
    String phone = Sessions.freshPhone();
    IdToken token = users.signInWithPhone(phone);

    Reply first = exchange(token.idToken());
    assertThat(first.status()).isEqualTo(200);
    JsonObject member = first.json().getJsonObject("member");
    assertThat(member.getString("memberId")).matches("m_[a-z2-7]{20}");
    assertThat(member.getString("phone")).isEqualTo(phone);
    assertThat(member.getJsonArray("roles")).containsExactly("RESIDENT");

    Reply again = exchange(users.signInWithPhone(phone).idToken());
    assertThat(again.json().getJsonObject("member").getString("memberId"))
        .isEqualTo(member.getString("memberId"));
    Reply me = client.get("getMe", "/v1/me", again.json().getString("accessToken"));
    assertThat(me.json().getString("memberId")).isEqualTo(member.getString("memberId"));
  }

  @Test
  void a_phone_sign_in_finds_the_member_that_already_has_that_phone() throws Exception {
    String phone = Sessions.freshPhone();
    String memberId = Sessions.signIn(client, new JsonObject().put("phone", phone)).memberId();
    Reply reply = exchange(users.signInWithPhone(phone).idToken());
    assertThat(reply.json().getJsonObject("member").getString("memberId")).isEqualTo(memberId);
  }

  /**
   * A resident registered by staff without the app: only a verified phone sign-in with that number
   * takes the member over; another number gets a member of its own.
   */
  @Test
  void the_verified_owner_of_an_assisted_residents_phone_takes_that_member_over() throws Exception {
    String phone = Sessions.freshPhone();
    Reply registered =
        client.post(
            "registerAssistedResident",
            "/v1/assisted-residents",
            new JsonObject()
                .put("displayName", "Wang Fang")
                .put("communityId", "c-east-1a")
                .put("phone", phone),
            Sessions.withRoles(client, "c-east-1a", "STAFF").accessToken());
    assertThat(registered.status()).as("%s", registered.body()).isEqualTo(201);
    String memberId = registered.json().getString("memberId");

    Reply other = exchange(users.signInWithPhone(Sessions.freshPhone()).idToken());
    assertThat(other.json().getJsonObject("member").getString("memberId")).isNotEqualTo(memberId);

    Reply owner = exchange(users.signInWithPhone(phone).idToken());
    assertThat(owner.status()).isEqualTo(200);
    JsonObject member = owner.json().getJsonObject("member");
    assertThat(member.getString("memberId")).isEqualTo(memberId);
    assertThat(member.getString("communityId")).isEqualTo("c-east-1a");
    Reply again = exchange(users.signInWithPhone(phone).idToken());
    assertThat(again.json().getJsonObject("member").getString("memberId")).isEqualTo(memberId);
  }

  @Test
  void an_email_user_becomes_a_member_without_a_phone() throws Exception {
    IdToken token = users.signUpWithEmail("staff-" + System.nanoTime() + "@example.org");
    Reply reply = exchange(token.idToken());
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getJsonObject("member").containsKey("phone")).isFalse();
  }

  @Test
  void a_token_issued_before_its_user_was_revoked_is_refused() throws Exception {
    IdToken token = users.signInWithPhone(Sessions.freshPhone());
    assertThat(exchange(token.idToken()).status()).isEqualTo(200);
    // Revocation compares whole seconds: the revocation must fall after the token's auth_time.
    Thread.sleep(1_100);
    FirebaseAuth.getInstance(admin).revokeRefreshTokens(token.uid());

    Reply reply = exchange(token.idToken());
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_ID_TOKEN");
    assertThat(reply.json().getString("detail")).contains("revoked");
  }

  @Test
  void an_expired_token_is_refused() throws Exception {
    IdToken token = users.signInWithPhone(Sessions.freshPhone());
    long anHourAgo = Instant.now().minusSeconds(3600).getEpochSecond();
    String expired =
        EmulatorUsers.withClaims(
            token.idToken(),
            new JsonObject()
                .put("iat", anHourAgo - 3600)
                .put("auth_time", anHourAgo - 3600)
                .put("exp", anHourAgo));
    Reply reply = exchange(expired);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_ID_TOKEN");
    assertThat(reply.json().getString("detail")).contains("expired");
  }

  @Test
  void a_token_for_another_project_is_refused() throws Exception {
    IdToken token = users.signInWithPhone(Sessions.freshPhone());
    String otherProject =
        EmulatorUsers.withClaims(
            token.idToken(),
            new JsonObject()
                .put("aud", "demo-another-project")
                .put("iss", "https://securetoken.google.com/demo-another-project"));
    Reply reply = exchange(otherProject);
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_ID_TOKEN");
  }

  @Test
  void garbage_is_refused() {
    Reply reply = exchange("this-is-not-a-jwt");
    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.code()).isEqualTo("INVALID_ID_TOKEN");
  }

  @Test
  void a_missing_id_token_is_a_validation_error() {
    Reply reply = client.post("signInWithFirebase", "/v1/auth/firebase", new JsonObject(), null);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("idToken");
  }
}
