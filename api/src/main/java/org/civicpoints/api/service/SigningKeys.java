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
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicpoints.api.domain.Ids;

/**
 * The ES256 keys of access tokens. The first key signs; every key verifies, so after a rotation
 * tokens signed with the previous key stay valid until they expire.
 *
 * <p>File format: {@code {"keys": [private EC JWK, ...]}}, current key first.
 */
public final class SigningKeys {

  /** Keys kept after a rotation: the new one and the one before it. */
  private static final int KEPT_AFTER_ROTATION = 2;

  public record SigningKey(String kid, KeyPair keyPair) {}

  private final List<SigningKey> keys;

  public SigningKeys(List<SigningKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("A key set needs at least one key");
    }
    this.keys = List.copyOf(keys);
  }

  public static SigningKeys generate() {
    return new SigningKeys(List.of(newKey()));
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
    return new SigningKeys(next);
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

  public static SigningKeys fromJson(String json) {
    List<SigningKey> keys = new ArrayList<>();
    for (Object entry : new JsonObject(json).getJsonArray("keys")) {
      Jwk<?> jwk = Jwks.parser().build().parse(((JsonObject) entry).encode());
      if (!(jwk instanceof PrivateJwk<?, ?, ?> privateJwk)) {
        throw new IllegalArgumentException("Key " + jwk.getId() + " is not a private key");
      }
      io.jsonwebtoken.security.KeyPair<?, ?> pair = privateJwk.toKeyPair();
      keys.add(new SigningKey(jwk.getId(), new KeyPair(pair.getPublic(), pair.getPrivate())));
    }
    return new SigningKeys(keys);
  }

  /** Blocking: reads the key file, or (when allowed) creates it with a fresh key. */
  public static SigningKeys loadOrCreate(Path file, boolean mayCreate) {
    try {
      if (Files.exists(file)) {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
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

  /** Blocking: writes the set readable by the owner only, replacing the file atomically. */
  public void writeTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temporary = Files.createTempFile(parent, ".jwt-keys", ".tmp");
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the directory's ACL protects the file instead.
    }
    Files.writeString(temporary, toJson(), StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static SigningKey newKey() {
    String kid =
        "k-" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "") + "-" + Ids.shortRandom();
    return new SigningKey(kid, Jwts.SIG.ES256.keyPair().build());
  }
}
