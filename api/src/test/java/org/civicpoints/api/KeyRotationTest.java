package org.civicpoints.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import org.civicpoints.api.support.PemKeys;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/** The operator's rotation: `rotate-jwt-key`, then a restart; sessions from before keep working. */
class KeyRotationTest {

  @Test
  void after_rotate_jwt_key_old_tokens_verify_new_ones_use_the_new_key_and_jwks_lists_both()
      throws Exception {
    Path dataDir = TestApi.temporaryDirectory();
    Path keyFile = dataDir.resolve("jwt-signing-keys.json");
    // No MONGO_URI: the embedded store in DATA_DIR keeps the member across the restart.
    Map<String, String> environment = Map.of("DATA_DIR", dataDir.toString(), "MONGO_URI", "");

    SignedIn before;
    String oldKid;
    try (TestApi api = TestApi.start(environment)) {
      before = Sessions.resident(api.client);
      oldKid = kid(before.accessToken());
    }

    Main.rotateSigningKey(keyFile, true);

    try (TestApi api = TestApi.start(environment)) {
      assertThat(api.client.get("getMe", "/v1/me", before.accessToken()).status()).isEqualTo(200);
      SignedIn after = Sessions.resident(api.client);
      assertThat(kid(after.accessToken())).isNotEqualTo(oldKid);
      assertThat(
              api
                  .client
                  .get("getJwks", "/.well-known/jwks.json", null)
                  .json()
                  .getJsonArray("keys")
                  .stream()
                  .map(key -> ((JsonObject) key).getString("kid")))
          .containsExactly(kid(after.accessToken()), oldKid);
    }
  }

  /**
   * The file infra/terraform mounts: a PKCS#8 PEM key signs under its RFC 7638 thumbprint, the JWKS
   * publishes it, and `rotate-jwt-key` keeps the file PEM with the previous key still verifying.
   */
  @Test
  void a_pem_key_file_signs_under_its_thumbprint_and_rotates_as_pem() throws Exception {
    Path dataDir = TestApi.temporaryDirectory();
    Path keyFile = dataDir.resolve("signing-key.pem");
    KeyPair mounted = PemKeys.newP256();
    Files.writeString(keyFile, PemKeys.opensslPem(mounted));
    String thumbprint = PemKeys.thumbprint((ECPublicKey) mounted.getPublic());
    Map<String, String> environment =
        Map.of("DATA_DIR", dataDir.toString(), "MONGO_URI", "", "JWT_KEY_FILE", keyFile.toString());

    SignedIn before;
    try (TestApi api = TestApi.start(environment)) {
      before = Sessions.resident(api.client);
      assertThat(kid(before.accessToken())).isEqualTo(thumbprint);
      JsonObject jwks = api.client.get("getJwks", "/.well-known/jwks.json", null).json();
      assertThat(jwks.getJsonArray("keys")).hasSize(1);
      PublicKey published =
          (PublicKey)
              Jwks.setParser().build().parse(jwks.encode()).getKeys().iterator().next().toKey();
      assertThat(published).isEqualTo(mounted.getPublic());
      assertThat(
              Jwts.parser()
                  .verifyWith(published)
                  .build()
                  .parseSignedClaims(before.accessToken())
                  .getPayload()
                  .getSubject())
          .isEqualTo(before.memberId());
    }
    assertThat(Files.readString(keyFile)).isEqualTo(PemKeys.opensslPem(mounted));

    Main.rotateSigningKey(keyFile, false);

    assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    try (TestApi api = TestApi.start(environment)) {
      assertThat(api.client.get("getMe", "/v1/me", before.accessToken()).status()).isEqualTo(200);
      String newKid = kid(Sessions.resident(api.client).accessToken());
      assertThat(newKid).isNotEqualTo(thumbprint);
      assertThat(
              api
                  .client
                  .get("getJwks", "/.well-known/jwks.json", null)
                  .json()
                  .getJsonArray("keys")
                  .stream()
                  .map(key -> ((JsonObject) key).getString("kid")))
          .containsExactly(newKid, thumbprint);
    }
  }

  private static String kid(String token) {
    String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    return new JsonObject(header).getString("kid");
  }
}
