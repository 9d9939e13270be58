package org.civicpoints.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console (the console/ module, packed into the jar under {@code console/}) at /console/:
 * hashed assets cached for good, index.html for every other path (the console routes in the
 * browser) and never cached, a Content-Security-Policy that allows no inline or foreign script.
 */
final class ConsoleSite {

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
          + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
          + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleSite.class);
  private static final String INDEX = "console/index.html";

  private ConsoleSite() {}

  /** With the policy {@link ConsoleSettings#contentSecurityPolicy()} gives this server. */
  static void mount(Router router, String contentSecurityPolicy) {
    Buffer index = index();
    if (index == null) {
      // A jar built without the console module (mvn -pl api): the API works, /console is a 404.
      LOG.warn("The console is not in this build; /console/ answers 404");
      return;
    }
    router.route("/console/*").handler(ctx -> secure(ctx, contentSecurityPolicy));
    router
        .get("/console/assets/*")
        .handler(ConsoleSite::cacheForGood)
        .handler(StaticHandler.create("console/assets").setCachingEnabled(false))
        .handler(ctx -> ctx.fail(404));
    router.get("/console/*").handler(ctx -> page(ctx, index));
  }

  private static void secure(RoutingContext ctx, String contentSecurityPolicy) {
    ctx.response()
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }

  /** Asset names carry their content hash: a changed file is a new name. */
  private static void cacheForGood(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
    ctx.next();
  }

  private static void page(RoutingContext ctx, Buffer index) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(index);
  }

  private static Buffer index() {
    try (InputStream in = ConsoleSite.class.getClassLoader().getResourceAsStream(INDEX)) {
      return in == null ? null : Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + INDEX, e);
    }
  }
}
