package org.civicpoints.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random, unguessable ids: a prefix and 20 base32 characters (100 bits). Never derived from
 * personal data.
 */
public final class Ids {

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  public static String memberId() {
    return "m_" + random20();
  }

  public static String communityChangeId() {
    return "ccr_" + random20();
  }

  public static String sessionFamilyId() {
    return "sf_" + random20();
  }

  /** Org unit ids use a hyphen: they appear in scopes ("community:ou-…"). */
  public static String orgUnitId() {
    return "ou-" + random20();
  }

  public static String ruleId() {
    return "r_" + random20();
  }

  public static String announcementId() {
    return "an_" + random20();
  }

  public static String activityId() {
    return "act_" + random20();
  }

  public static String rewardId() {
    return "rw_" + random20();
  }

  public static String redemptionId() {
    return "rd_" + random20();
  }

  public static String submissionId() {
    return "s_" + random20();
  }

  public static String evidenceId() {
    return "ev_" + random20();
  }

  public static String certificateId() {
    return "sc_" + random20();
  }

  public static String reconciliationId() {
    return "rc_" + random20();
  }

  public static String consentId() {
    return "cn_" + random20();
  }

  public static String dataExportId() {
    return "dx_" + random20();
  }

  public static String auditId() {
    return "a_" + random20();
  }

  public static String notificationId() {
    return "n_" + random20();
  }

  /** The notification id of an event that must be told once (the same key, the same id). */
  public static String notificationIdOf(String key) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      char[] chars = new char[20];
      for (int i = 0; i < chars.length; i++) {
        chars[i] = BASE32[(hash[i] & 0xff) % BASE32.length];
      }
      return "n_" + new String(chars);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is part of every JDK", impossible);
    }
  }

  /** Eight random characters, for names that only need to be distinct (key ids). */
  public static String shortRandom() {
    return random(8);
  }

  private static String random20() {
    return random(20);
  }

  private static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = BASE32[RANDOM.nextInt(BASE32.length)];
    }
    return new String(chars);
  }
}
