package org.civicpoints.devnet;

import java.util.Comparator;

/**
 * Orders keys by Unicode code point, which is the order of their UTF-8 bytes: the order Fabric's
 * LevelDB state database iterates in. Plain {@link String#compareTo} would put supplementary
 * characters (surrogate pairs) before U+E000..U+FFFF and so cut {@code \uDBFF\uDFFF}-terminated
 * composite-key ranges short.
 */
final class KeyOrder {

  static final Comparator<String> CODE_POINT = KeyOrder::compare;

  private KeyOrder() {}

  static int compare(String left, String right) {
    int length = Math.min(left.length(), right.length());
    for (int i = 0; i < length; i++) {
      char a = left.charAt(i);
      char b = right.charAt(i);
      if (a != b) {
        return codePointRank(a) - codePointRank(b);
      }
    }
    return left.length() - right.length();
  }

  /** Moves surrogates above U+E000..U+FFFF so that UTF-16 units compare like code points. */
  private static int codePointRank(char c) {
    if (c < 0xD800) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }
}
