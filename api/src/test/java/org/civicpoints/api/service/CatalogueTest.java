package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.Text;
import org.junit.jupiter.api.Test;

/** The catalogue has every text in every language, with the same placeholders. */
class CatalogueTest {

  private static final MessageCatalogue CATALOGUE = MessageCatalogue.standard();

  /**
   * How the code names catalogue keys; each pattern's groups make the key ("{CODE}.{detailKey}",
   * "field.{key}", or the key as written).
   */
  private static final Map<Pattern, String> KEYED_CALLS =
      Map.of(
          Pattern.compile(
              "new DomainException\\(\\s*(?:org\\.civicpoints\\.api\\.domain\\.)?ErrorCode\\.(\\w+),\\s*\"(\\w+)\",\\s*Map"),
          "$1.$2",
          Pattern.compile("super\\(\\s*ErrorCode\\.(\\w+),\\s*\"(\\w+)\",\\s*Map"),
          "$1.$2",
          Pattern.compile("DomainException\\.notFound\\(\\s*\"(\\w+)\",\\s*Map"),
          "NOT_FOUND.$1",
          Pattern.compile("DomainException\\.forbidden\\(\\s*\"(\\w+)\",\\s*Map"),
          "FORBIDDEN.$1",
          Pattern.compile("invalidField\\(\\s*(?:\"[\\w.]+\"|\\w+),\\s*\"(\\w+)\",\\s*Map"),
          "field.$1",
          Pattern.compile("Text\\.of\\(\\s*\"([\\w.]+)\"\\s*[,)]"),
          "$1",
          Pattern.compile("detail\\(ErrorCode\\.(\\w+), \"(\\w+)\"\\)"),
          "$1.$2");

  @Test
  void every_error_code_has_a_title_in_every_language() {
    for (Language language : Language.values()) {
      for (ErrorCode code : ErrorCode.values()) {
        assertThat(CATALOGUE.entry(language, code.name() + ".title"))
            .as("%s title of %s", language.tag(), code)
            .isPresent();
      }
    }
  }

  @Test
  void every_notification_kind_has_a_title_and_a_body_in_every_language() {
    for (Language language : Language.values()) {
      for (NotificationKind kind : NotificationKind.values()) {
        for (String part : List.of("title", "body")) {
          assertThat(CATALOGUE.entry(language, "notification." + kind.name() + "." + part))
              .as("%s %s of %s", language.tag(), part, kind)
              .isPresent();
        }
      }
    }
  }

  @Test
  void both_languages_have_the_same_keys_with_the_same_placeholders() {
    assertThat(CATALOGUE.keys(Language.EN)).isEqualTo(CATALOGUE.keys(Language.ZH_CN));
    for (String key : CATALOGUE.keys(Language.ZH_CN)) {
      assertThat(MessageCatalogue.placeholders(CATALOGUE.entry(Language.EN, key).orElseThrow()))
          .as("placeholders of %s", key)
          .isEqualTo(
              MessageCatalogue.placeholders(CATALOGUE.entry(Language.ZH_CN, key).orElseThrow()));
    }
  }

  @Test
  void the_chinese_texts_are_chinese() {
    for (String key : CATALOGUE.keys(Language.ZH_CN)) {
      String text = CATALOGUE.entry(Language.ZH_CN, key).orElseThrow();
      assertThat(
              text.codePoints()
                  .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN))
          .as("%s is written in Chinese: %s", key, text)
          .isTrue();
    }
  }

  @Test
  void every_key_the_code_names_is_in_the_catalogue() throws IOException {
    Set<String> named = namedKeys(Path.of("src/main/java"));
    assertThat(named).as("keys found in the code").hasSizeGreaterThan(70);
    assertThat(new TreeSet<>(named))
        .as("keys the code names that the catalogue lacks")
        .allSatisfy(key -> assertThat(CATALOGUE.keys(Language.ZH_CN)).contains(key));
  }

  @Test
  void placeholders_are_filled_by_name_and_a_missing_argument_stays_visible() {
    assertThat(
            CATALOGUE.render(
                Language.EN,
                Text.of(
                    "INVALID_STATE.notApprovable",
                    Map.of("submissionId", "s_1", "status", "REJECTED"))))
        .isEqualTo("Submission s_1 is REJECTED and cannot be approved.");
    assertThat(CATALOGUE.render(Language.ZH_CN, Text.of("NOT_FOUND.activity", Map.of())))
        .isEqualTo("没有活动 {activityId}。");
    assertThat(
            CATALOGUE.render(
                Language.EN, Text.of("RATE_LIMITED.tryAgainIn", Map.of("seconds", "$1"))))
        .as("an argument is text, never a pattern")
        .isEqualTo("Too many attempts; try again in $1 seconds.");
  }

  @Test
  void a_literal_is_said_as_is_and_an_unknown_key_shows_itself() {
    assertThat(CATALOGUE.render(Language.ZH_CN, Text.literal("String is too short")))
        .isEqualTo("String is too short");
    assertThat(CATALOGUE.render(Language.EN, Text.of("NOT_FOUND.nothingLikeThis")))
        .isEqualTo("NOT_FOUND.nothingLikeThis");
  }

  private static Set<String> namedKeys(Path sources) throws IOException {
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(file -> file.toString().endsWith(".java"))
          .map(CatalogueTest::read)
          .forEach(
              source ->
                  KEYED_CALLS.forEach(
                      (pattern, key) -> {
                        Matcher matcher = pattern.matcher(source);
                        while (matcher.find()) {
                          keys.add(expand(matcher, key));
                        }
                      }));
    }
    return keys;
  }

  private static String expand(Matcher matcher, String key) {
    String expanded = key;
    for (int group = matcher.groupCount(); group >= 1; group--) {
      expanded = expanded.replace("$" + group, matcher.group(group));
    }
    return expanded;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
