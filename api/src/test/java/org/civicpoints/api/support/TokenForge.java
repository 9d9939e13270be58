package org.civicpoints.api.support;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.civicpoints.api.service.SigningKeys;

/**
 * Builds the tokens an attacker (or a confused client) would send, some with the server's own key.
 */
public final class TokenForge {

  public static final String ISSUER = "civic-points-dev";
  public static final String AUDIENCE = "civic-points-app";
  public static final String ACCESS_TOKEN_TYPE = "at+jwt";

  private final SigningKeys serverKeys;

  public TokenForge(Path dataDir) {
    try {
      this.serverKeys =
          SigningKeys.fromJson(Files.readString(dataDir.resolve("jwt-signing-keys.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Signed with the server's key; callers change one claim to make it wrong. */
  public JwtBuilder withServerKey(String memberId) {
    SigningKeys.SigningKey key = serverKeys.current();
    Instant now = Instant.now();
    return Jwts.builder()
        .header()
        .keyId(key.kid())
        .type(ACCESS_TOKEN_TYPE)
        .and()
        .issuer(ISSUER)
        .audience()
        .add(AUDIENCE)
        .and()
        .subject(memberId)
        .issuedAt(Date.from(now))
        .expiration(Date.from(now.plus(Duration.ofMinutes(15))))
        .claim("roles", List.of("RESIDENT", "ADMIN"))
        .claim("scopes", List.of())
        .signWith(key.keyPair().getPrivate(), Jwts.SIG.ES256);
  }

  /** Right kid and claims, but signed with a key the server never had. */
  public String forgedSignature(String memberId) {
    SigningKeys.SigningKey serverKey = serverKeys.current();
    return withServerKey(memberId)
        .signWith(SigningKeys.generate().current().keyPair().getPrivate(), Jwts.SIG.ES256)
        .header()
        .keyId(serverKey.kid())
        .and()
        .compact();
  }

  /** HS256 keyed with a secret: the classic algorithm-confusion attempt. */
  public String hs256(String memberId) {
    return withServerKey(memberId).signWith(Jwts.SIG.HS256.key().build(), Jwts.SIG.HS256).compact();
  }

  /** An unsecured JWT ("alg": "none") claiming ADMIN, otherwise shaped like an access token. */
  public static String unsigned(String memberId) {
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"none\",\"typ\":\"at+jwt\"}";
    String payload =
        "{\"iss\":\""
            + ISSUER
            + "\",\"aud\":\""
            + AUDIENCE
            + "\",\"sub\":\""
            + memberId
            + "\",\"iat\":"
            + now
            + ",\"exp\":"
            + (now + 900)
            + ",\"roles\":[\"ADMIN\"],\"scopes\":[]}";
    return base64(header) + "." + base64(payload) + ".";
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
