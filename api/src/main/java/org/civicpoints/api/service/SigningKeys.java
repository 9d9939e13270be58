package org.civicpoints.api.service;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PrivateJwk;
import io.jsonwebtoken.security.PublicJwk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ES256 keys of access tokens. The first key signs; every key verifies, so after a rotation
 * tokens signed with the previous key stay valid until they expire.
 *
 * <p>File formats, current key first: a JWK set {@code {"keys": [private EC JWK, ...]}} (what the
 * API generates in dev), or one or more unencrypted PKCS#8 PEM blocks {@code -----BEGIN PRIVATE
 * KEY-----} (what {@code openssl genpkey} writes and infra/terraform mounts). A PEM key's {@code
 * kid} is its RFC 7638 JWK thumbprint, as is every generated key's.
 */
public final class SigningKeys {

  /** Keys kept after a rotation: the new one and the one before it. */
  private static final int KEPT_AFTER_ROTATION = 2;

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  private static final Base64.Encoder PEM_BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  public record SigningKey(String kid, KeyPair keyPair) {}

  /** How a key file is written back after a rotation: in the format it was read in. */
  public enum FileFormat {
    JWK_SET,
    PEM
  }

  private final List<SigningKey> keys;
  private final FileFormat format;

  public SigningKeys(List<SigningKey> keys) {
    this(keys, FileFormat.JWK_SET);
  }

  private SigningKeys(List<SigningKey> keys, FileFormat format) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("A key set needs at least one key");
    }
    this.keys = List.copyOf(keys);
    this.format = format;
  }

  public static SigningKeys generate() {
    return new SigningKeys(List.of(newKey()));
  }

  public FileFormat format() {
    return format;
  }

  public SigningKey current() {
    return keys.get(0);
  }

  public Optional<PublicKey> verificationKey(String kid) {
    return keys.stream()
        .filter(k -> k.kid().equals(kid))
        .findFirst()
        .map(k -> k.keyPair().getPublic());
  }

  /** A new signing key first; the current one keeps verifying. */
  public SigningKeys rotated() {
    List<SigningKey> next = new ArrayList<>();
    next.add(newKey());
    next.addAll(keys.subList(0, Math.min(keys.size(), KEPT_AFTER_ROTATION - 1)));
    return new SigningKeys(next, format);
  }

  /** The public JWK set served at /.well-known/jwks.json. */
  public JsonObject publicJwks() {
    JsonArray publicKeys = new JsonArray();
    for (SigningKey key : keys) {
      PublicJwk<?> jwk =
          Jwks.builder()
              .key(key.keyPair().getPublic())
              .id(key.kid())
              .algorithm("ES256")
              .publicKeyUse("sig")
              .build();
      publicKeys.add(new JsonObject(Jwks.json(jwk)));
    }
    return new JsonObject().put("keys", publicKeys);
  }

  public String toJson() {
    JsonArray privateKeys = new JsonArray();
    for (SigningKey key : keys) {
      PrivateJwk<?, ?, ?> jwk =
          Jwks.builder().keyPair(key.keyPair()).id(key.kid()).algorithm("ES256").build();
      privateKeys.add(new JsonObject(Jwks.UNSAFE_JSON(jwk)));
    }
    return new JsonObject().put("keys", privateKeys).encodePrettily();
  }

  /** Unencrypted PKCS#8 blocks, each with its header and footer line, signing key first. */
  public String toPem() {
    StringBuilder pem = new StringBuilder();
    for (SigningKey key : keys) {
      pem.append("-----BEGIN PRIVATE KEY-----\n")
          .append(PEM_BASE64.encodeToString(key.keyPair().getPrivate().getEncoded()))
          .append("\n-----END PRIVATE KEY-----\n");
    }
    return pem.toString();
  }

  /** A key file's text in either format, told apart by its first non-blank characters. */
  public static SigningKeys parse(String text) {
    return text.stripLeading().startsWith("-----BEGIN") ? fromPem(text) : fromJson(text);
  }

  public static SigningKeys fromJson(String json) {
    List<SigningKey> keys = new ArrayList<>();
    for (Object entry : new JsonObject(json).getJsonArray("keys")) {
      Jwk<?> jwk = Jwks.parser().build().parse(((JsonObject) entry).encode());
      if (!(jwk instanceof PrivateJwk<?, ?, ?> privateJwk)) {
        throw new IllegalArgumentException("Key " + jwk.getId() + " is not a private key");
      }
      keys.add(signingKey(privateJwk, jwk.getId()));
    }
    return new SigningKeys(keys);
  }

  public static SigningKeys fromPem(String pem) {
    List<SigningKey> keys = new ArrayList<>();
    Matcher block = PEM_BLOCK.matcher(pem);
    while (block.find()) {
      keys.add(pemKey(block.group(1), block.group(2)));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("The PEM key file holds no complete PEM block");
    }
    return new SigningKeys(keys, FileFormat.PEM);
  }

  private static SigningKey pemKey(String label, String base64) {
    if (!label.equals("PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "The JWT key file holds a '"
              + label
              + "' block; it needs an unencrypted PKCS#8 'PRIVATE KEY'"
              + " (convert: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
    }
    try {
      ECPrivateKey key =
          (ECPrivateKey)
              KeyFactory.getInstance("EC")
                  .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
      // The public half is derived from the private key; the kid is the thumbprint of that half.
      return signingKey(Jwks.builder().key(key).idFromThumbprint().build(), null);
    } catch (GeneralSecurityException | IllegalArgumentException notAnEcKey) {
      throw new IllegalArgumentException(
          "A PEM block of the JWT key file is not a PKCS#8 EC private key", notAnEcKey);
    }
  }

  /** ES256 needs P-256; a key without a kid is named by its RFC 7638 thumbprint. */
  private static SigningKey signingKey(PrivateJwk<?, ?, ?> jwk, String kid) {
    Object curve = jwk.get("crv");
    if (!"P-256".equals(curve)) {
      throw new IllegalArgumentException(
          "A JWT signing key must be an EC P-256 key (ES256), not " + jwk.getType() + " " + curve);
    }
    io.jsonwebtoken.security.KeyPair<?, ?> pair = jwk.toKeyPair();
    return new SigningKey(
        kid != null ? kid : jwk.thumbprint().toString(),
        new KeyPair(pair.getPublic(), pair.getPrivate()));
  }

  /** Blocking: reads the key file, or (when allowed) creates it with a fresh key. */
  public static SigningKeys loadOrCreate(Path file, boolean mayCreate) {
    try {
      if (Files.exists(file)) {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
      }
      if (!mayCreate) {
        throw new IllegalStateException("JWT key file " + file + " does not exist");
      }
      SigningKeys generated = generate();
      generated.writeTo(file);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the JWT key file " + file, e);
    }
  }

  /**
   * Blocking: writes the set in its format, readable by the owner only, replacing the file
   * atomically.
   */
  public void writeTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, ".jwt-keys", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the directory's ACL protects the file instead.
    }
    Files.writeString(
        temporary, format == FileFormat.PEM ? toPem() : toJson(), StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static SigningKey newKey() {
    return signingKey(Jwks.builder().keyPair(Jwts.SIG.ES256.keyPair().build()).build(), null);
  }
}
