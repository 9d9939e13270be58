package org.civicpoints.api.support;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * EC P-256 keys as infra/terraform mounts them at JWT_KEY_FILE, and their RFC 7638 thumbprints,
 * computed here with plain JDK code (not with the code under test).
 */
public final class PemKeys {

  /**
   * PKCS#8 PrivateKeyInfo of a P-256 key up to its private scalar, as {@code openssl genpkey
   * -algorithm EC -pkeyopt ec_paramgen_curve:P-256} and Terraform's {@code tls_private_key} ({@code
   * private_key_pem_pkcs8}) write it: version 0, id-ecPublicKey + prime256v1, then the SEC 1
   * ECPrivateKey (version 1, the 32-byte scalar) followed by its public key [1].
   */
  private static final byte[] PKCS8_P256_HEAD =
      HexFormat.of()
          .parseHex("308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420");

  private static final byte[] PUBLIC_KEY_HEAD = HexFormat.of().parseHex("a144034200" + "04");

  private PemKeys() {}

  public static KeyPair newP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file exactly as the module writes it: header line, 64-column base64, footer, newline. */
  public static String opensslPem(KeyPair pair) {
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
    der.writeBytes(PKCS8_P256_HEAD);
    der.writeBytes(unsigned32(((ECPrivateKey) pair.getPrivate()).getS()));
    der.writeBytes(PUBLIC_KEY_HEAD);
    der.writeBytes(unsigned32(publicKey.getW().getAffineX()));
    der.writeBytes(unsigned32(publicKey.getW().getAffineY()));
    return pem("PRIVATE KEY", der.toByteArray());
  }

  public static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** RFC 7638: SHA-256 over the required members, sorted, no whitespace; base64url. */
  public static String thumbprint(ECPublicKey key) {
    return thumbprint(
        Map.of(
            "kty",
            "EC",
            "crv",
            "P-256",
            "x",
            base64Url(unsigned32(key.getW().getAffineX())),
            "y",
            base64Url(unsigned32(key.getW().getAffineY()))));
  }

  /** Members whose values need no JSON escaping (base64url and key type names). */
  public static String thumbprint(Map<String, String> requiredMembers) {
    String canonical =
        new TreeMap<>(requiredMembers)
            .entrySet().stream()
                .map(member -> "\"" + member.getKey() + "\":\"" + member.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    try {
      return base64Url(
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A coordinate or scalar as the 32 big-endian bytes P-256 fixes. */
  private static byte[] unsigned32(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
    return fixed;
  }
}
