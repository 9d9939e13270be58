package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.civicpoints.api.support.TokenForge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SessionApiTest {

  private static TestApi api;
  private static ApiClient client;
  private static TokenForge forge;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    client = api.client;
    forge = new TokenForge(api.dataDir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static Reply me(String token) {
    return client.get("getMe", "/v1/me", token);
  }

  private static Reply refresh(String refreshToken) {
    return client.post(
        "refreshSession",
        "/v1/auth/refresh",
        new JsonObject().put("refreshToken", refreshToken),
        null);
  }

  @Nested
  class DevSignIn {
    @Test
    void a_new_phone_becomes_a_resident_with_a_random_member_id() {
      SignedIn resident = Sessions.resident(client);
      assertThat(resident.memberId())
          .matches("m_[a-z2-7]{20}")
          .doesNotContain(resident.phone().substring(4));
      assertThat(resident.member().getJsonArray("roles")).containsExactly("RESIDENT");
      assertThat(me(resident.accessToken()).json().getString("memberId"))
          .isEqualTo(resident.memberId());
    }

    @Test
    void the_same_phone_signs_in_to_the_same_member() {
      String phone = Sessions.freshPhone();
      SignedIn first = Sessions.signIn(client, new JsonObject().put("phone", phone));
      SignedIn second = Sessions.signIn(client, new JsonObject().put("phone", phone));
      assertThat(second.memberId()).isEqualTo(first.memberId());
    }

    @Test
    void staff_get_their_community_as_scope_and_organizers_its_street() {
      SignedIn staff = Sessions.withRoles(client, "c-east-1a", "STAFF", "ORGANIZER");
      assertThat(staff.member().getJsonArray("roles"))
          .containsExactly("ORGANIZER", "RESIDENT", "STAFF");
      assertThat(staff.member().getJsonArray("scopes"))
          .containsExactly("community:c-east-1a", "street:s-east-1");
      assertThat(staff.member().getString("communityId")).isEqualTo("c-east-1a");
    }

    @Test
    void staff_without_a_community_is_refused_naming_the_field() {
      Reply reply =
          client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject().put("phone", Sessions.freshPhone()).put("roles", List.of("STAFF")),
              null);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("communityId");
    }

    @Test
    void an_unknown_community_is_refused() {
      Reply reply =
          client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject().put("phone", Sessions.freshPhone()).put("communityId", "c-nowhere"),
              null);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("communityId");
    }

    @Test
    void wrong_types_unknown_roles_and_extra_fields_are_all_named() {
      Reply reply =
          client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject()
                  .put("phone", 8613800000000L)
                  .put("roles", List.of("KING"))
                  .put("memberId", "m_x"),
              null);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
      assertThat(fields(reply)).containsExactlyInAnyOrder("memberId", "phone", "roles.0");
    }

    @Test
    void a_phone_that_is_not_e164_is_refused() {
      Reply reply =
          client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject().put("phone", "13800000000"),
              null);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("phone");
    }

    @Test
    void firebase_sign_in_without_firebase_configured_is_unavailable() {
      Reply reply =
          client.post(
              "signInWithFirebase",
              "/v1/auth/firebase",
              new JsonObject().put("idToken", "x"),
              null);
      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.code()).isEqualTo("IDENTITY_PROVIDER_UNAVAILABLE");
    }
  }

  @Nested
  class RefreshTokens {
    @Test
    void a_refresh_rotates_the_token_and_keeps_the_member() {
      SignedIn signedIn = Sessions.resident(client);
      Reply reply = refresh(signedIn.refreshToken());
      assertThat(reply.status()).isEqualTo(200);
      String next = reply.json().getString("refreshToken");
      assertThat(next).isNotEqualTo(signedIn.refreshToken()).hasSizeGreaterThanOrEqualTo(43);
      assertThat(reply.json().getJsonObject("member").getString("memberId"))
          .isEqualTo(signedIn.memberId());
      assertThat(me(reply.json().getString("accessToken")).status()).isEqualTo(200);
      assertThat(refresh(next).status()).isEqualTo(200);
    }

    @Test
    void a_retired_token_presented_again_revokes_the_whole_family() {
      SignedIn signedIn = Sessions.resident(client);
      String second = refresh(signedIn.refreshToken()).json().getString("refreshToken");

      Reply reuse = refresh(signedIn.refreshToken());
      assertThat(reuse.status()).isEqualTo(401);
      assertThat(reuse.code()).isEqualTo("REFRESH_TOKEN_REUSED");

      Reply descendant = refresh(second);
      assertThat(descendant.status()).isEqualTo(401);
      assertThat(descendant.code()).isEqualTo("INVALID_REFRESH_TOKEN");
    }

    @Test
    void other_sign_ins_of_the_same_member_survive_a_revoked_family() {
      String phone = Sessions.freshPhone();
      SignedIn phoneA = Sessions.signIn(client, new JsonObject().put("phone", phone));
      SignedIn phoneB = Sessions.signIn(client, new JsonObject().put("phone", phone));
      refresh(phoneA.refreshToken());
      refresh(phoneA.refreshToken());
      assertThat(refresh(phoneB.refreshToken()).status()).isEqualTo(200);
    }

    @Test
    void logout_revokes_the_family() {
      SignedIn signedIn = Sessions.resident(client);
      String second = refresh(signedIn.refreshToken()).json().getString("refreshToken");
      Reply logout =
          client.post(
              "logout", "/v1/auth/logout", new JsonObject().put("refreshToken", second), null);
      assertThat(logout.status()).isEqualTo(204);
      assertThat(refresh(second).code()).isEqualTo("INVALID_REFRESH_TOKEN");
    }

    @Test
    void an_unknown_refresh_token_is_refused() {
      Reply reply = refresh("not-a-token-we-issued");
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("INVALID_REFRESH_TOKEN");
    }

    @Test
    void a_refresh_token_of_the_wrong_type_is_a_validation_error() {
      Reply reply =
          client.post(
              "refreshSession", "/v1/auth/refresh", new JsonObject().put("refreshToken", 42), null);
      assertThat(reply.status()).isEqualTo(400);
      assertThat(fields(reply)).containsExactly("refreshToken");
    }
  }

  @Nested
  class AccessTokens {
    @Test
    void no_token_is_unauthenticated() {
      Reply reply = me(null);
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("UNAUTHENTICATED");
      assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void authentication_comes_before_validation() {
      Reply reply =
          client.patch("updateMe", "/v1/me", new JsonObject().put("roles", List.of("ADMIN")), null);
      assertThat(reply.status()).isEqualTo(401);
    }

    @Test
    void a_basic_authorization_header_is_unauthenticated() {
      Reply reply =
          client.sendRaw(
              "getMe", HttpMethod.GET, "/v1/me", null, Map.of("Authorization", "Basic YTpi"));
      assertThat(reply.code()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void garbage_is_an_invalid_token() {
      assertInvalid(me("garbage.garbage.garbage"));
    }

    @Test
    void an_unsigned_alg_none_token_is_refused() {
      SignedIn resident = Sessions.resident(client);
      assertInvalid(me(TokenForge.unsigned(resident.memberId())));
    }

    @Test
    void an_hs256_token_is_refused() {
      SignedIn resident = Sessions.resident(client);
      assertInvalid(me(forge.hs256(resident.memberId())));
    }

    @Test
    void a_forged_signature_is_refused() {
      SignedIn resident = Sessions.resident(client);
      assertInvalid(me(forge.forgedSignature(resident.memberId())));
    }

    @Test
    void a_token_typed_jwt_is_not_an_access_token() {
      SignedIn resident = Sessions.resident(client);
      String token = forge.withServerKey(resident.memberId()).header().type("JWT").and().compact();
      assertInvalid(me(token));
    }

    @Test
    void a_token_without_a_type_is_not_an_access_token() {
      SignedIn resident = Sessions.resident(client);
      String token = forge.withServerKey(resident.memberId()).header().type(null).and().compact();
      assertInvalid(me(token));
    }

    @Test
    void a_token_without_expiry_is_refused() {
      SignedIn resident = Sessions.resident(client);
      Reply reply = me(forge.withServerKey(resident.memberId()).expiration(null).compact());
      assertInvalid(reply);
      assertThat(reply.json().getString("detail")).contains("no expiry");
    }

    @Test
    void a_token_for_another_audience_is_refused() {
      SignedIn resident = Sessions.resident(client);
      String token =
          forge.withServerKey(resident.memberId()).audience().single("another-api").compact();
      assertInvalid(me(token));
    }

    @Test
    void a_token_from_another_issuer_is_refused() {
      SignedIn resident = Sessions.resident(client);
      assertInvalid(me(forge.withServerKey(resident.memberId()).issuer("someone-else").compact()));
    }

    @Test
    void an_expired_token_is_refused_beyond_the_leeway() {
      SignedIn resident = Sessions.resident(client);
      Instant past = Instant.now().minus(Duration.ofMinutes(2));
      Reply reply =
          me(forge.withServerKey(resident.memberId()).expiration(Date.from(past)).compact());
      assertInvalid(reply);
      assertThat(reply.json().getString("detail")).contains("expired");
    }

    @Test
    void a_token_expired_within_the_leeway_is_accepted() {
      SignedIn resident = Sessions.resident(client);
      Instant justNow = Instant.now().minus(Duration.ofSeconds(20));
      Reply reply =
          me(forge.withServerKey(resident.memberId()).expiration(Date.from(justNow)).compact());
      assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void the_issued_token_carries_kid_iss_aud_and_fifteen_minutes() {
      SignedIn resident = Sessions.resident(client);
      String[] parts = resident.accessToken().split("\\.");
      JsonObject header =
          new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[0])));
      JsonObject claims =
          new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1])));
      assertThat(header.getString("alg")).isEqualTo("ES256");
      assertThat(header.getString("typ")).isEqualTo("at+jwt");
      assertThat(header.getString("kid")).isNotBlank();
      assertThat(claims.getString("iss")).isEqualTo(TokenForge.ISSUER);
      assertThat(claims.getValue("aud").toString()).contains(TokenForge.AUDIENCE);
      assertThat(claims.getString("sub")).isEqualTo(resident.memberId());
      assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(900);
    }

    private void assertInvalid(Reply reply) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.code()).isEqualTo("INVALID_TOKEN");
    }
  }

  static List<String> fields(Reply reply) {
    return reply.json().getJsonArray("errors").stream()
        .map(error -> ((JsonObject) error).getString("field"))
        .toList();
  }
}
