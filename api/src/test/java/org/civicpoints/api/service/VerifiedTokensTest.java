package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.service.VerifiedTokens.Verified;
import org.civicpoints.api.support.SettableClock;
import org.junit.jupiter.api.Test;

/** The cache of verified access tokens never accepts what a full verification would refuse. */
class VerifiedTokensTest {

  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final SettableClock clock = new SettableClock(NOW);
  private final AtomicReference<SigningKeys> keys = new AtomicReference<>(SigningKeys.generate());
  private final AccessTokens tokens =
      new AccessTokens(keys::get, "iss-test", "aud-test", Duration.ofMinutes(15), clock, 3);

  @Test
  void a_token_altered_after_its_original_was_verified_is_refused() {
    String token = tokens.issue(member("m_abcdefghijklmnopqrst")).token();
    assertThat(tokens.verify(token).roles()).containsExactly(Role.RESIDENT);

    String[] parts = token.split("\\.");
    JsonObject claims =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
            .put("roles", new JsonArray().add("ADMIN").add("RESIDENT"));
    String promoted =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];
    int middle = token.length() - parts[2].length() / 2;
    String resigned =
        token.substring(0, middle)
            + (token.charAt(middle) == 'A' ? 'B' : 'A')
            + token.substring(middle + 1);

    assertRefused(promoted);
    assertRefused(resigned);
    assertRefused(token + "x");
    assertThat(tokens.verify(token).roles()).containsExactly(Role.RESIDENT);
  }

  @Test
  void a_verified_token_is_refused_once_its_expiry_and_leeway_have_passed() {
    String token = tokens.issue(member("m_abcdefghijklmnopqrst")).token();
    tokens.verify(token);

    clock.set(NOW.plus(Duration.ofMinutes(16)).minusSeconds(1));
    assertThat(tokens.verify(token).memberId()).isEqualTo("m_abcdefghijklmnopqrst");
    clock.set(NOW.plus(Duration.ofMinutes(16)).plusSeconds(1));
    assertRefused(token);
  }

  @Test
  void a_verified_token_of_a_retired_key_is_refused() {
    String token = tokens.issue(member("m_abcdefghijklmnopqrst")).token();
    tokens.verify(token);
    keys.set(keys.get().rotated().rotated());
    assertRefused(token);
  }

  @Test
  void the_cache_keeps_at_most_its_capacity_and_lets_the_least_recently_used_go() {
    VerifiedTokens verified = new VerifiedTokens(3, clock);
    for (String token : new String[] {"t1", "t2", "t3"}) {
      verified.keep(token, verifiedUntil(NOW.plusSeconds(60)));
    }
    verified.find("t1");
    verified.keep("t4", verifiedUntil(NOW.plusSeconds(60)));
    verified.keep("t5", verifiedUntil(NOW.plusSeconds(60)));

    assertThat(verified.size()).isEqualTo(3);
    assertThat(verified.find("t1")).isPresent();
    assertThat(verified.find("t2")).isEmpty();
    assertThat(verified.find("t3")).isEmpty();
  }

  @Test
  void tokens_pushed_out_of_the_cache_still_verify_in_full() {
    String first = tokens.issue(member("m_aaaaaaaaaaaaaaaaaaaa")).token();
    tokens.verify(first);
    for (String memberId :
        new String[] {
          "m_bbbbbbbbbbbbbbbbbbbb", "m_cccccccccccccccccccc", "m_dddddddddddddddddddd"
        }) {
      tokens.verify(tokens.issue(member(memberId)).token());
    }
    assertThat(tokens.verify(first).memberId()).isEqualTo("m_aaaaaaaaaaaaaaaaaaaa");
  }

  private static Verified verifiedUntil(Instant validUntil) {
    return new Verified(
        new Caller("m_abcdefghijklmnopqrst", Set.of(Role.RESIDENT), Set.of()), "kid", validUntil);
  }

  private void assertRefused(String token) {
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
  }

  private static Member member(String memberId) {
    return Member.signedIn(memberId, "+8613800000000", null, "Resident", "c-east-1a", NOW);
  }
}
