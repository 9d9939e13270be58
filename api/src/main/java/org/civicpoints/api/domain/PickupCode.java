package org.civicpoints.api.domain;

import java.security.SecureRandom;

/**
 * Pickup codes: 8 random characters of an alphabet without look-alikes (no 0/O, 1/I/L), so staff
 * can type one read off a phone. The QR code a phone shows encodes {@link #qrPayload}.
 */
public final class PickupCode {

  public static final int LENGTH = 8;
  private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private PickupCode() {}

  public static String random() {
    char[] code = new char[LENGTH];
    for (int i = 0; i < code.length; i++) {
      code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(code);
  }

  /** {@code civicpoints:redemption:<redemptionId>:<pickupCode>}: what a staff scanner reads. */
  public static String qrPayload(String redemptionId, String pickupCode) {
    return "civicpoints:redemption:" + redemptionId + ":" + pickupCode;
  }
}
