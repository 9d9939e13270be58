package org.civicpoints.api.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A language the API speaks; Chinese first, English on request. */
public enum Language {
  ZH_CN("zh-CN"),
  EN("en");

  public static final Language DEFAULT = ZH_CN;

  private final String tag;

  Language(String tag) {
    this.tag = tag;
  }

  /** The BCP 47 tag clients send and see (Content-Language, a member's stored choice). */
  public String tag() {
    return tag;
  }

  /** Exactly one of our tags ("zh-CN", "en"), as a member stores it. */
  public static Optional<Language> ofTag(String tag) {
    return Arrays.stream(values()).filter(language -> language.tag.equals(tag)).findFirst();
  }

  /**
   * The language that serves a requested range: any Chinese ("zh", "zh-CN", "zh-Hans-CN", even
   * "zh-TW", read better in simplified Chinese than in English) or any English ("en", "en-US").
   */
  public static Optional<Language> serving(String range) {
    String primary = range.toLowerCase(Locale.ROOT).split("-", 2)[0];
    return switch (primary) {
      case "zh" -> Optional.of(ZH_CN);
      case "en" -> Optional.of(EN);
      default -> Optional.empty();
    };
  }
}
