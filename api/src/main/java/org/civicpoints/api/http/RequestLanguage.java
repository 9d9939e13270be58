package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale.LanguageRange;
import java.util.Optional;
import java.util.function.Function;
import org.civicpoints.api.domain.Language;

/**
 * The language of an answer: the best one {@code Accept-Language} asks for (q-values honoured,
 * "en", "en-US", "zh", "zh-Hans-CN" …), else the signed-in member's stored choice, else zh-CN.
 */
final class RequestLanguage {

  private RequestLanguage() {}

  static Future<Language> of(
      RoutingContext ctx, Function<String, Future<Language>> storedLanguageOf) {
    Optional<Language> asked = accepted(ctx.request().getHeader("Accept-Language"));
    if (asked.isPresent()) {
      return Future.succeededFuture(asked.get());
    }
    return Authentication.callerIfAny(ctx)
        .map(caller -> storedLanguageOf.apply(caller.memberId()))
        .orElse(Future.succeededFuture(Language.DEFAULT))
        .otherwise(Language.DEFAULT);
  }

  /** The language of an answer, as {@link #of}; the answer says which it is (Content-Language). */
  static Future<Language> ofAnswer(
      RoutingContext ctx, Function<String, Future<Language>> storedLanguageOf) {
    return of(ctx, storedLanguageOf)
        .onSuccess(language -> ctx.response().putHeader("Content-Language", language.tag()));
  }

  /**
   * Empty when the header is absent, unreadable, or names only languages we do not have: then the
   * member's own choice decides. "*" is any language, so ours.
   */
  static Optional<Language> accepted(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    try {
      // parse answers the ranges by descending weight, the order of preference.
      for (LanguageRange range : LanguageRange.parse(header)) {
        if (range.getWeight() > 0) {
          Optional<Language> serving =
              "*".equals(range.getRange())
                  ? Optional.of(Language.DEFAULT)
                  : Language.serving(range.getRange());
          if (serving.isPresent()) {
            return serving;
          }
        }
      }
    } catch (IllegalArgumentException unreadable) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
