package org.civicpoints.api.service;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.SecurityException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgTree;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.service.VerifiedTokens.Verified;

/**
 * Issues and verifies access tokens: ES256 JWTs with a kid header and {@code typ: at+jwt} (RFC
 * 9068), iss, aud, sub = memberId, exp, roles and scopes. Verification accepts ES256 only, requires
 * the at+jwt type (so no other JWT signed with our key, such as an ID token, passes as an access
 * token: RFC 8725 section 3.11), and checks iss, aud and exp, which must be present.
 */
public final class AccessTokens {

  private static final String ES256 = "ES256";
  static final String TYPE = "at+jwt";
  private static final String AUTH_TIME = "auth_time";
  private static final long CLOCK_SKEW_SECONDS = 60;

  /**
   * Verified tokens kept: 64 bytes of key and a caller each, a few MB at most; at 15-minute tokens
   * that is 10,000 residents active within a quarter of an hour per instance before the least
   * recently used is verified again.
   */
  static final int VERIFIED_TOKENS = 10_000;

  private final Supplier<SigningKeys> keys;
  private final String issuer;
  private final String audience;
  private final Duration ttl;
  private final Clock clock;
  private final VerifiedTokens verified;
  private volatile Predicate<String> gone = memberId -> false;

  /** {@code keys} is read on every use, so a rotation takes effect without a restart. */
  public AccessTokens(
      Supplier<SigningKeys> keys, String issuer, String audience, Duration ttl, Clock clock) {
    this(keys, issuer, audience, ttl, clock, VERIFIED_TOKENS);
  }

  AccessTokens(
      Supplier<SigningKeys> keys,
      String issuer,
      String audience,
      Duration ttl,
      Clock clock,
      int verifiedTokens) {
    this.verified = new VerifiedTokens(verifiedTokens, clock);
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.ttl = ttl;
    this.clock = clock;
  }

  public record IssuedToken(String token, long expiresInSeconds) {}

  public IssuedToken issue(Member member) {
    return issue(member, null);
  }

  /**
   * {@code authTime}: when the person last proved who they are (OIDC's {@code auth_time}), so that
   * operations asking for a fresh sign-in (deleting the account) can tell; null leaves it out.
   */
  public IssuedToken issue(Member member, Instant authTime) {
    SigningKeys.SigningKey signer = keys.get().current();
    Instant now = clock.instant();
    String token =
        Jwts.builder()
            .header()
            .keyId(signer.kid())
            .type(TYPE)
            .and()
            .issuer(issuer)
            .audience()
            .add(audience)
            .and()
            .subject(member.memberId())
            .id(UUID.randomUUID().toString())
            .issuedAt(Date.from(now))
            .expiration(Date.from(now.plus(ttl)))
            .claim("roles", member.roles().stream().map(Role::name).sorted().toList())
            .claim("scopes", member.scopes().stream().sorted().toList())
            .claim(AUTH_TIME, authTime == null ? null : authTime.getEpochSecond())
            .signWith(signer.keyPair().getPrivate(), Jwts.SIG.ES256)
            .compact();
    return new IssuedToken(token, ttl.toSeconds());
  }

  /**
   * The caller the token proves, or a DomainException INVALID_TOKEN saying why not. A token
   * verified before is answered from {@link VerifiedTokens} while its key is still ours.
   */
  public Caller verify(String token) {
    Optional<Verified> known = verified.find(token);
    if (known.isPresent() && keys.get().verificationKey(known.get().kid()).isPresent()) {
      return known.get().caller();
    }
    Verified fresh = verifyInFull(token);
    verified.keep(token, fresh);
    return fresh.caller();
  }

  private Verified verifyInFull(String token) {
    try {
      Jws<Claims> jws =
          Jwts.parser()
              .keyLocator(new PinnedAlgorithmKeyLocator())
              .requireIssuer(issuer)
              .requireAudience(audience)
              .clockSkewSeconds(CLOCK_SKEW_SECONDS)
              .clock(() -> Date.from(clock.instant()))
              .build()
              .parseSignedClaims(token);
      Claims claims = jws.getPayload();
      if (claims.getExpiration() == null) {
        throw invalid("noExpiry");
      }
      Caller caller =
          new Caller(
              required(claims.getSubject()),
              roles(claims.get("roles")),
              scopes(claims.get("scopes")),
              OrgTree.FLAT,
              authTime(claims.get(AUTH_TIME)));
      return new Verified(
          caller,
          jws.getHeader().getKeyId(),
          claims.getExpiration().toInstant().plusSeconds(CLOCK_SKEW_SECONDS));
    } catch (ExpiredJwtException expired) {
      throw invalid("expired");
    } catch (SecurityException forged) {
      throw invalid("signature");
    } catch (JwtException | IllegalArgumentException | ClassCastException malformed) {
      throw invalid("notOurs");
    }
  }

  private static String required(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("no subject");
    }
    return subject;
  }

  private static Instant authTime(Object claim) {
    return claim == null ? null : Instant.ofEpochSecond(((Number) claim).longValue());
  }

  /**
   * Members whose tokens open nothing any more although they verify (deleted accounts); checked on
   * every request after the signature, see {@link #refused}.
   */
  public void refuseMembers(Predicate<String> gone) {
    this.gone = gone;
  }

  /** Whether the member of a verified token is one whose tokens are refused (account deleted). */
  public boolean refused(String memberId) {
    return gone.test(memberId);
  }

  private static Set<Role> roles(Object claim) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object role : (Collection<?>) claim) {
      roles.add(Role.valueOf((String) role));
    }
    return roles;
  }

  private static Set<String> scopes(Object claim) {
    Set<String> scopes = new HashSet<>();
    for (Object scope : claim == null ? List.of() : (Collection<?>) claim) {
      scopes.add((String) scope);
    }
    return scopes;
  }

  private static DomainException invalid(String detailKey) {
    return new DomainException(ErrorCode.INVALID_TOKEN, detailKey, Map.of());
  }

  /** RFC 9068 section 4: "at+jwt", or its full media type; media types ignore case. */
  private static boolean isAccessTokenType(String type) {
    return TYPE.equalsIgnoreCase(type) || ("application/" + TYPE).equalsIgnoreCase(type);
  }

  /**
   * Only ES256 with one of our key ids gets a key; anything else (HS256, none, RS256) is refused.
   */
  private final class PinnedAlgorithmKeyLocator extends LocatorAdapter<Key> {
    @Override
    protected Key locate(JwsHeader header) {
      if (!ES256.equals(header.getAlgorithm())) {
        throw new io.jsonwebtoken.UnsupportedJwtException("Only ES256 access tokens are accepted");
      }
      if (!isAccessTokenType(header.getType())) {
        throw new io.jsonwebtoken.UnsupportedJwtException("Only at+jwt tokens are access tokens");
      }
      String kid = header.getKeyId();
      if (kid == null) {
        throw new io.jsonwebtoken.MalformedJwtException("The access token has no kid");
      }
      return keys.get()
          .verificationKey(kid)
          .orElseThrow(() -> new io.jsonwebtoken.security.SignatureException("Unknown key id"));
    }
  }
}
