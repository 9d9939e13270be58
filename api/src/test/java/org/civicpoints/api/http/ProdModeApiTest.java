package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.PemKeys;
import org.civicpoints.api.support.TestApi;
import org.civicpoints.api.support.TestDevnet;
import org.junit.jupiter.api.Test;

/** CIVIC_ENV=prod: no dev sign-in, no demo city, no generated keys, no embedded store. */
class ProdModeApiTest {

  @Test
  void a_production_server_has_no_dev_sign_in_and_starts_nothing_embedded() throws Exception {
    Path secrets = TestApi.temporaryDirectory();
    Map<String, String> environment = prodEnvironment(secrets);
    // The signing key as infra/terraform mounts it: openssl's PKCS#8 PEM, header lines and all.
    KeyPair signingKey = PemKeys.newP256();
    Files.writeString(Path.of(environment.get("JWT_KEY_FILE")), PemKeys.opensslPem(signingKey));
    try (TestDevnet peer = TestDevnet.start()) {
      environment.putAll(peer.settings());
      assertProductionBehaviour(
          environment, PemKeys.thumbprint((ECPublicKey) signingKey.getPublic()));
    }
  }

  private static void assertProductionBehaviour(Map<String, String> environment, String kid) {
    try (TestApi api = TestApi.start(environment)) {
      JsonObject jwks = api.client.get("getJwks", "/.well-known/jwks.json", null).json();
      assertThat(jwks.getJsonArray("keys")).hasSize(1);
      assertThat(jwks.getJsonArray("keys").getJsonObject(0).getString("kid")).isEqualTo(kid);
      Reply devSignIn =
          api.client.post(
              "signInForDevelopment",
              "/v1/auth/dev",
              new JsonObject().put("phone", "+8613800000000"),
              null);
      assertThat(devSignIn.status()).isEqualTo(404);
      assertThat(devSignIn.code()).isEqualTo("ROUTE_NOT_FOUND");
      assertThat(
              api.client
                  .get("getConsoleSettings", "/v1/console/settings", null)
                  .json()
                  .getJsonArray("signInMethods"))
          .as("no dev form; Firebase only with FIREBASE_WEB_API_KEY")
          .isEmpty();
      assertThat(
              api.client
                  .get("listCommunities", "/v1/communities", null)
                  .json()
                  .getJsonArray("items"))
          .isEmpty();
      assertThat(api.dataDir.resolve("mongo")).doesNotExist();
      assertThat(api.dataDir.resolve("jwt-signing-keys.json")).doesNotExist();
      assertThat(api.dataDir.resolve("devnet")).doesNotExist();
      assertThat(
              api.client
                  .get("getReadiness", "/health/ready", null)
                  .json()
                  .getJsonObject("checks")
                  .getString("ledger"))
          .as("the configured peer answers")
          .isEqualTo("up");
    }
  }

  @Test
  void a_production_server_never_generates_its_signing_keys() throws Exception {
    Map<String, String> environment = prodEnvironment(TestApi.temporaryDirectory());
    assertThatThrownBy(() -> TestApi.start(environment).close())
        .hasMessageContaining("does not exist");
  }

  @Test
  void a_server_given_production_settings_without_civic_env_does_not_start() throws Exception {
    Map<String, String> environment = prodEnvironment(TestApi.temporaryDirectory());
    environment.put("CIVIC_ENV", "");
    assertThatThrownBy(() -> TestApi.start(environment).close())
        .hasMessageContaining(
            "CIVIC_ENV is unset but MONGO_URI, FABRIC_PEER_ENDPOINT, FIREBASE_PROJECT_ID are set:"
                + " set CIVIC_ENV=prod");
  }

  /** Every prod setting; the Firebase service account is a generated one (nothing calls Google). */
  private static Map<String, String> prodEnvironment(Path secrets) throws Exception {
    Path serviceAccount = secrets.resolve("service-account.json");
    Files.writeString(serviceAccount, serviceAccountJson(), StandardCharsets.UTF_8);
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "prod");
    environment.put("FABRIC_PEER_ENDPOINT", "peer0.example.org:7051");
    environment.put("FABRIC_MSP_ID", "Org1MSP");
    environment.put("FABRIC_CERT", secrets.resolve("cert.pem").toString());
    environment.put("FABRIC_KEY", secrets.resolve("key.pem").toString());
    environment.put("FABRIC_TLS_CA", secrets.resolve("ca.pem").toString());
    environment.put("FABRIC_RULES_CERT", secrets.resolve("rules-cert.pem").toString());
    environment.put("FABRIC_RULES_KEY", secrets.resolve("rules-key.pem").toString());
    environment.put("FIREBASE_PROJECT_ID", "civic-points-test");
    environment.put("GOOGLE_APPLICATION_CREDENTIALS", serviceAccount.toString());
    environment.put("JWT_KEY_FILE", secrets.resolve("signing-key.pem").toString());
    environment.put("JWT_ISSUER", "https://api.civic-points.test");
    environment.put("JWT_AUDIENCE", "civic-points-app");
    return environment;
  }

  private static String serviceAccountJson() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return new JsonObject()
        .put("type", "service_account")
        .put("project_id", "civic-points-test")
        .put("private_key_id", "test-key")
        .put("private_key", pem)
        .put("client_email", "api@civic-points-test.iam.gserviceaccount.com")
        .put("client_id", "1")
        .put("token_uri", "https://oauth2.googleapis.com/token")
        .encode();
  }
}
