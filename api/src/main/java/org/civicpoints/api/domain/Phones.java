package org.civicpoints.api.domain;

/** Phone numbers are personal data: staff see them masked. */
public final class Phones {

  private Phones() {}

  /** Keeps the first three characters ("+86") and the last four digits. */
  public static String mask(String phone) {
    if (phone == null || phone.length() < 8) {
      return "****";
    }
    int keepStart = 3;
    int keepEnd = 4;
    return phone.substring(0, keepStart)
        + "*".repeat(phone.length() - keepStart - keepEnd)
        + phone.substring(phone.length() - keepEnd);
  }
}
