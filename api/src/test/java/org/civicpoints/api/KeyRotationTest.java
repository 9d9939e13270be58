package org.civicpoints.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
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

  private static String kid(String token) {
    String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
    return new JsonObject(header).getString("kid");
  }
}
