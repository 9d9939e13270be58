package org.civicpoints.api.domain;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The rotating 6-digit check-in code of an activity: TOTP-like (RFC 6238 dynamic truncation) over
 * HMAC-SHA256 of the 60-second time step, keyed by the activity's own secret. The previous step is
 * accepted too, so a code read off the console just before it rotates still works.
 */
public final class CheckInCodes {

  public static final long STEP_SECONDS = 60;

  private CheckInCodes() {}

  public record Code(String code, Instant validUntil) {}

  public static Code current(String secret, Instant now) {
    long step = now.getEpochSecond() / STEP_SECONDS;
    return new Code(codeAt(secret, step), Instant.ofEpochSecond((step + 1) * STEP_SECONDS));
  }

  public static boolean accepts(String secret, String code, Instant now) {
    long step = now.getEpochSecond() / STEP_SECONDS;
    return sameCode(codeAt(secret, step), code) || sameCode(codeAt(secret, step - 1), code);
  }

  static String codeAt(String secret, long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret), "HmacSHA256"));
      byte[] hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
      int offset = hash[hash.length - 1] & 0x0f;
      int binary =
          ((hash[offset] & 0x7f) << 24)
              | ((hash[offset + 1] & 0xff) << 16)
              | ((hash[offset + 2] & 0xff) << 8)
              | (hash[offset + 3] & 0xff);
      return String.format("%06d", binary % 1_000_000);
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
    }
  }

  /** Constant time, so the comparison does not tell how many leading digits were right. */
  private static boolean sameCode(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(), given.getBytes());
  }
}
