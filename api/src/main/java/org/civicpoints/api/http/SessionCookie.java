package org.civicpoints.api.http;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.service.SessionService.Session;

/**
 * The web console's refresh token: asked for with {@code X-Session-Transport: cookie}, it travels
 * as an HttpOnly, SameSite=Strict cookie scoped to /v1/auth instead of in the JSON body, so page
 * script never reads it. A browser sends the cookie by itself, so a request that uses it must come
 * from the server's own origin or a configured console origin (a forged cross-site request would
 * name its own).
 */
public final class SessionCookie {

  static final String NAME = "civic_refresh";
  static final String PATH = "/v1/auth";
  static final String TRANSPORT = "X-Session-Transport";

  private final boolean secure;
  private final Duration lifetime;
  private final List<String> allowedOrigins;

  /** {@code secure} false only on development servers, which run on plain http. */
  public SessionCookie(boolean secure, Duration lifetime, List<String> allowedOrigins) {
    this.secure = secure;
    this.lifetime = lifetime;
    this.allowedOrigins = List.copyOf(allowedOrigins);
  }

  boolean requested(RoutingContext ctx) {
    return "cookie".equalsIgnoreCase(ctx.request().getHeader(TRANSPORT));
  }

  /** A request with no refresh token in its body that asks for, or sends, the cookie. */
  boolean used(RoutingContext ctx) {
    return requested(ctx) || ctx.request().getCookie(NAME) != null;
  }

  /** Sets the cookie and answers the session without its refresh token. */
  JsonObject handOver(RoutingContext ctx, Session session) {
    ctx.response().addCookie(cookie(session.refreshToken(), lifetime.toSeconds()));
    JsonObject answer = Views.session(session);
    answer.remove("refreshToken");
    return answer;
  }

  void clear(RoutingContext ctx) {
    ctx.response().addCookie(cookie("", 0));
  }

  /** The cookie's refresh token, once the request's Origin is allowed; empty without a cookie. */
  Optional<String> read(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (!allowed(origin, ctx.request().getHeader(HttpHeaders.HOST))) {
      throw new DomainException(
          ErrorCode.ORIGIN_NOT_ALLOWED,
          "origin",
          Map.of("origin", origin == null ? "(no Origin header)" : origin));
    }
    return Optional.ofNullable(ctx.request().getCookie(NAME)).map(Cookie::getValue);
  }

  private boolean allowed(String origin, String host) {
    if (origin == null) {
      return false;
    }
    String normalized = origin.toLowerCase(Locale.ROOT);
    return allowedOrigins.contains(normalized)
        || (host != null && authority(normalized).equals(host.toLowerCase(Locale.ROOT)));
  }

  /** The server's own origin: the one whose host and port the request was sent to. */
  private static String authority(String origin) {
    int scheme = origin.indexOf("://");
    return scheme < 0 ? "" : origin.substring(scheme + 3);
  }

  private Cookie cookie(String value, long maxAgeSeconds) {
    return Cookie.cookie(NAME, value)
        .setPath(PATH)
        .setHttpOnly(true)
        .setSecure(secure)
        .setSameSite(CookieSameSite.STRICT)
        .setMaxAge(maxAgeSeconds);
  }
}
