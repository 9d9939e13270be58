package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.service.SigningKeys.FileFormat;
import org.civicpoints.api.support.PemKeys;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/** JWT_KEY_FILE in the PEM form infra/terraform mounts, beside the JWK set a dev server writes. */
class SigningKeysTest {

  /** RFC 7638 section 3.1: the RSA key of RFC 7517 appendix A.1 and its thumbprint. */
  @Test
  void the_tests_own_thumbprint_is_rfc_7638s_worked_example() {
    String n =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJEC"
            + "PebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW"
            + "2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vM"
            + "QFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    assertThat(PemKeys.thumbprint(Map.of("kty", "RSA", "e", "AQAB", "n", n)))
        .isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  void a_pem_key_as_terraform_mounts_it_signs_under_its_rfc_7638_thumbprint() {
    KeyPair pair = PemKeys.newP256();
    String thumbprint = PemKeys.thumbprint((ECPublicKey) pair.getPublic());

    SigningKeys keys = SigningKeys.parse(PemKeys.opensslPem(pair));

    assertThat(keys.format()).isEqualTo(FileFormat.PEM);
    assertThat(keys.current().kid()).isEqualTo(thumbprint);
    assertThat(((ECPrivateKey) keys.current().keyPair().getPrivate()).getS())
        .isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
    assertThat(keys.verificationKey(thumbprint)).contains(pair.getPublic());
    JsonObject published = keys.publicJwks().getJsonArray("keys").getJsonObject(0);
    assertThat(published.getString("kid")).isEqualTo(thumbprint);
    assertThat(
            PemKeys.thumbprint(
                Map.of(
                    "kty",
                    "EC",
                    "crv",
                    "P-256",
                    "x",
                    published.getString("x"),
                    "y",
                    published.getString("y"))))
        .isEqualTo(thumbprint);
    assertThat(published.containsKey("d")).isFalse();
  }

  @Test
  void a_pkcs8_key_without_its_public_half_gets_the_same_kid() {
    KeyPair pair = PemKeys.newP256();
    // The JDK writes PKCS#8 EC keys without the optional public key: it is derived on reading.
    SigningKeys keys =
        SigningKeys.parse(PemKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    assertThat(keys.current().kid()).isEqualTo(PemKeys.thumbprint((ECPublicKey) pair.getPublic()));
    assertThat(keys.current().keyPair().getPublic()).isEqualTo(pair.getPublic());
  }

  @Test
  void of_several_pem_keys_the_first_signs_and_every_one_verifies() {
    KeyPair next = PemKeys.newP256();
    KeyPair previous = PemKeys.newP256();
    SigningKeys keys =
        SigningKeys.parse(
            "\n" + PemKeys.opensslPem(next) + PemKeys.opensslPem(previous).replace("\n", "\r\n"));
    assertThat(keys.current().kid()).isEqualTo(PemKeys.thumbprint((ECPublicKey) next.getPublic()));
    assertThat(keys.verificationKey(PemKeys.thumbprint((ECPublicKey) previous.getPublic())))
        .contains(previous.getPublic());
  }

  @Test
  void a_rotated_pem_file_stays_pem_with_the_new_key_first() throws Exception {
    KeyPair original = PemKeys.newP256();
    Path file = TestApi.temporaryDirectory().resolve("signing-key.pem");
    Files.writeString(file, PemKeys.opensslPem(original));

    SigningKeys.loadOrCreate(file, false).rotated().writeTo(file);

    String written = Files.readString(file);
    assertThat(written)
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    assertThat(written.split("-----BEGIN PRIVATE KEY-----", -1)).hasSize(3);
    SigningKeys reread = SigningKeys.parse(written);
    String originalKid = PemKeys.thumbprint((ECPublicKey) original.getPublic());
    assertThat(reread.current().kid()).isNotEqualTo(originalKid);
    assertThat(
            reread.publicJwks().getJsonArray("keys").stream()
                .map(k -> ((JsonObject) k).getString("kid")))
        .containsExactly(reread.current().kid(), originalKid);
    assertThat(reread.current().kid())
        .isEqualTo(PemKeys.thumbprint((ECPublicKey) reread.current().keyPair().getPublic()));
  }

  @Test
  void a_generated_key_is_named_by_its_thumbprint_and_a_jwk_set_keeps_its_kids() {
    SigningKeys generated = SigningKeys.generate();
    assertThat(generated.current().kid())
        .isEqualTo(PemKeys.thumbprint((ECPublicKey) generated.current().keyPair().getPublic()));
    JsonObject set = new JsonObject(generated.toJson());
    set.getJsonArray("keys").getJsonObject(0).put("kid", "k-20261126-4f1c");
    SigningKeys named = SigningKeys.parse(set.encode());
    assertThat(named.format()).isEqualTo(FileFormat.JWK_SET);
    assertThat(named.current().kid()).isEqualTo("k-20261126-4f1c");
  }

  @Test
  void a_sec1_key_is_refused_with_the_command_that_converts_it() {
    assertThatThrownBy(() -> SigningKeys.parse(PemKeys.pem("EC PRIVATE KEY", new byte[] {1, 2, 3})))
        .hasMessageContaining("'EC PRIVATE KEY'")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void a_key_that_cannot_sign_es256_is_refused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    for (String pem :
        List.of(
            PemKeys.pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded()),
            PemKeys.pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded()),
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")) {
      assertThatThrownBy(() -> SigningKeys.parse(pem))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .containsAnyOf("must be an EC P-256 key", "is not a PKCS#8 EC private key");
    }
    assertThatThrownBy(() -> SigningKeys.parse("-----BEGIN PRIVATE KEY-----\nMIGH"))
        .hasMessageContaining("no complete PEM block");
  }
}
