package org.civicpoints.api.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.Text;

/**
 * Every text a person reads, per language, from {@code messages/messages_{language}.properties}
 * (UTF-8): problem titles ("{CODE}.title") and details ("{CODE}.{detailKey}"), field messages
 * ("field.{key}"), org-unit CSV import lines ("orgImport.{key}"), notifications
 * ("notification.{KIND}.title" and ".body"). Placeholders are named, {@code {activityId}}. A key
 * missing in the requested language falls back to zh-CN, then to the key itself, so a gap never
 * fails the answer it belongs to (CatalogueTest keeps it gap-free).
 */
public final class MessageCatalogue {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");
  private static final MessageCatalogue STANDARD = load();

  private final Map<Language, Properties> entries;

  private MessageCatalogue(Map<Language, Properties> entries) {
    this.entries = entries;
  }

  /** The catalogue on the classpath, read once. */
  public static MessageCatalogue standard() {
    return STANDARD;
  }

  public String render(Language language, Text text) {
    if (text instanceof Text.Keyed keyed) {
      return fill(language, pattern(language, keyed.key()), keyed.args());
    }
    return ((Text.Literal) text).text();
  }

  public String title(Language language, ErrorCode code) {
    return pattern(language, code.name() + ".title");
  }

  public String notificationTitle(Language language, NotificationKind kind, Map<String, ?> args) {
    return render(language, Text.of("notification." + kind.name() + ".title", args));
  }

  public String notificationBody(Language language, NotificationKind kind, Map<String, ?> args) {
    return render(language, Text.of("notification." + kind.name() + ".body", args));
  }

  /** Every key of one language's file. */
  public Set<String> keys(Language language) {
    return new TreeSet<>(entries.get(language).stringPropertyNames());
  }

  /** The entry exactly as one language's file has it, without fallback. */
  public Optional<String> entry(Language language, String key) {
    return Optional.ofNullable(entries.get(language).getProperty(key));
  }

  /** The names of an entry's placeholders. */
  public static Set<String> placeholders(String pattern) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = PLACEHOLDER.matcher(pattern);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private String pattern(Language language, String key) {
    return entry(language, key).or(() -> entry(Language.DEFAULT, key)).orElse(key);
  }

  /**
   * An argument the entry does not get stays visible as its placeholder; an argument that is itself
   * a {@link Text} is said in the same language.
   */
  private String fill(Language language, String pattern, Map<String, Object> args) {
    return PLACEHOLDER
        .matcher(pattern)
        .replaceAll(
            placeholder -> {
              Object value = args.get(placeholder.group(1));
              String text =
                  value instanceof Text nested
                      ? render(language, nested)
                      : value == null ? placeholder.group() : String.valueOf(value);
              return Matcher.quoteReplacement(text);
            });
  }

  private static MessageCatalogue load() {
    Map<Language, Properties> entries = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      entries.put(language, read("messages/messages_" + language.tag().replace('-', '_')));
    }
    return new MessageCatalogue(entries);
  }

  private static Properties read(String name) {
    try (InputStream in =
        MessageCatalogue.class.getClassLoader().getResourceAsStream(name + ".properties")) {
      if (in == null) {
        throw new IllegalStateException(name + ".properties is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }
}
