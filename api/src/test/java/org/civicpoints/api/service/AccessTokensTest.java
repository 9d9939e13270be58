package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jsonwebtoken.Jwts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final AtomicReference<SigningKeys> keys = new AtomicReference<>(SigningKeys.generate());
  private final AccessTokens tokens = at(NOW);

  private AccessTokens at(Instant instant) {
    return new AccessTokens(
        keys::get,
        "iss-test",
        "aud-test",
        Duration.ofMinutes(15),
        Clock.fixed(instant, ZoneOffset.UTC));
  }

  private static Member member() {
    return new Member(
        "m_abcdefghijklmnopqrst",
        "+8613800000000",
        null,
        "Resident",
        null,
        EnumSet.of(Role.RESIDENT, Role.STAFF),
        Set.of("community:c-east-1a"),
        "c-east-1a",
        LeaderboardVisibility.MASKED,
        PartyMembership.NONE,
        NOW,
        Language.DEFAULT,
        null,
        null);
  }

  @Test
  void an_issued_token_verifies_to_its_member_roles_and_scopes() {
    Caller caller = tokens.verify(tokens.issue(member()).token());
    assertThat(caller.memberId()).isEqualTo("m_abcdefghijklmnopqrst");
    assertThat(caller.roles()).containsExactlyInAnyOrder(Role.RESIDENT, Role.STAFF);
    assertThat(caller.scopes()).containsExactly("community:c-east-1a");
  }

  @Test
  void the_token_expires_after_fifteen_minutes_plus_at_most_a_minute_of_leeway() {
    String token = tokens.issue(member()).token();
    assertThat(at(NOW.plus(Duration.ofMinutes(15)).plusSeconds(59)).verify(token).memberId())
        .isNotNull();
    assertRefused(() -> at(NOW.plus(Duration.ofMinutes(16)).plusSeconds(1)).verify(token));
  }

  @Test
  void after_a_rotation_new_tokens_use_the_new_key_and_old_ones_still_verify() {
    String before = tokens.issue(member()).token();
    String oldKid = keys.get().current().kid();
    keys.set(keys.get().rotated());
    String after = tokens.issue(member()).token();

    assertThat(tokens.verify(before).memberId()).isEqualTo("m_abcdefghijklmnopqrst");
    assertThat(kid(after)).isNotEqualTo(oldKid).isEqualTo(keys.get().current().kid());
    assertThat(keys.get().publicJwks().getJsonArray("keys")).hasSize(2);
  }

  @Test
  void a_second_rotation_retires_the_oldest_key() {
    String oldest = tokens.issue(member()).token();
    keys.set(keys.get().rotated().rotated());
    assertRefused(() -> tokens.verify(oldest));
  }

  @Test
  void a_key_set_survives_its_file_format() {
    SigningKeys rotated = keys.get().rotated();
    SigningKeys reread = SigningKeys.fromJson(rotated.toJson());
    assertThat(reread.current().kid()).isEqualTo(rotated.current().kid());
    keys.set(reread);
    assertThat(tokens.verify(at(NOW).issue(member()).token()).memberId()).isNotNull();
  }

  @Test
  void a_token_signed_with_another_key_under_our_kid_is_refused() {
    SigningKeys.SigningKey ours = keys.get().current();
    String forged =
        Jwts.builder()
            .header()
            .keyId(ours.kid())
            .type("at+jwt")
            .and()
            .issuer("iss-test")
            .audience()
            .add("aud-test")
            .and()
            .subject("m_abcdefghijklmnopqrst")
            .expiration(java.util.Date.from(NOW.plusSeconds(600)))
            .claim("roles", java.util.List.of("ADMIN"))
            .signWith(SigningKeys.generate().current().keyPair().getPrivate(), Jwts.SIG.ES256)
            .compact();
    assertRefused(() -> tokens.verify(forged));
  }

  @Test
  void an_unknown_role_in_a_token_is_refused() {
    SigningKeys.SigningKey ours = keys.get().current();
    String token =
        Jwts.builder()
            .header()
            .keyId(ours.kid())
            .type("at+jwt")
            .and()
            .issuer("iss-test")
            .audience()
            .add("aud-test")
            .and()
            .subject("m_abcdefghijklmnopqrst")
            .expiration(java.util.Date.from(NOW.plusSeconds(600)))
            .claim("roles", java.util.List.of("EMPEROR"))
            .signWith(ours.keyPair().getPrivate(), Jwts.SIG.ES256)
            .compact();
    assertRefused(() -> tokens.verify(token));
  }

  @Test
  void a_token_without_kid_is_refused() {
    String token =
        Jwts.builder()
            .header()
            .type("at+jwt")
            .and()
            .issuer("iss-test")
            .audience()
            .add("aud-test")
            .and()
            .subject("m_x")
            .expiration(java.util.Date.from(NOW.plusSeconds(600)))
            .claim("roles", java.util.List.of("RESIDENT"))
            .signWith(keys.get().current().keyPair().getPrivate(), Jwts.SIG.ES256)
            .compact();
    assertRefused(() -> tokens.verify(token));
  }

  @Test
  void an_issued_token_is_typed_at_jwt() {
    String header =
        new String(
            java.util.Base64.getUrlDecoder()
                .decode(tokens.issue(member()).token().split("\\.")[0]));
    assertThat(new io.vertx.core.json.JsonObject(header).getString("typ")).isEqualTo("at+jwt");
  }

  @Test
  void the_full_media_type_is_accepted_too() {
    assertThat(tokens.verify(ourToken("application/AT+JWT").compact()).memberId())
        .isEqualTo("m_abcdefghijklmnopqrst");
  }

  @Test
  void a_token_typed_jwt_or_untyped_is_refused() {
    assertRefused(() -> tokens.verify(ourToken("JWT").compact()));
    assertRefused(() -> tokens.verify(ourToken(null).compact()));
  }

  @Test
  void a_token_without_expiry_is_refused() {
    assertRefused(() -> tokens.verify(ourToken("at+jwt").expiration(null).compact()));
  }

  /** Right key, issuer, audience and claims; {@code type} is the header's typ (null: none). */
  private io.jsonwebtoken.JwtBuilder ourToken(String type) {
    return Jwts.builder()
        .header()
        .keyId(keys.get().current().kid())
        .type(type)
        .and()
        .issuer("iss-test")
        .audience()
        .add("aud-test")
        .and()
        .subject("m_abcdefghijklmnopqrst")
        .expiration(java.util.Date.from(NOW.plusSeconds(600)))
        .claim("roles", java.util.List.of("RESIDENT"))
        .signWith(keys.get().current().keyPair().getPrivate(), Jwts.SIG.ES256);
  }

  private static String kid(String token) {
    String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    return new io.vertx.core.json.JsonObject(header).getString("kid");
  }

  private static void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable verification) {
    assertThatThrownBy(verification)
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
  }
}
