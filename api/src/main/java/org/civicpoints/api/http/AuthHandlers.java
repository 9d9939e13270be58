package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.service.SessionService;
import org.civicpoints.api.service.SessionService.DevSignIn;
import org.civicpoints.api.service.SigningKeys;

/** Tag "Auth": sign-in, refresh, logout, public keys. */
public final class AuthHandlers {

  private final SessionService sessions;
  private final Supplier<SigningKeys> signingKeys;
  private final boolean devSignInEnabled;
  private final ClientAddresses clientAddresses;
  private final SessionCookie cookie;

  public AuthHandlers(
      SessionService sessions,
      Supplier<SigningKeys> signingKeys,
      boolean devSignInEnabled,
      ClientAddresses clientAddresses,
      SessionCookie cookie) {
    this.sessions = sessions;
    this.signingKeys = signingKeys;
    this.devSignInEnabled = devSignInEnabled;
    this.clientAddresses = clientAddresses;
    this.cookie = cookie;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "signInWithFirebase", this::signInWithFirebase,
        "signInForDevelopment",
            devSignInEnabled ? this::signInForDevelopment : AuthHandlers::absentInProduction,
        "refreshSession", this::refreshSession,
        "logout", this::logout,
        "getJwks", this::getJwks);
  }

  private void signInWithFirebase(RoutingContext ctx) {
    String idToken = ValidInput.of(ctx).body().getString("idToken");
    replySession(
        ctx, cookie.requested(ctx), () -> sessions.signInWithFirebase(idToken, clientIp(ctx)));
  }

  private void signInForDevelopment(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    DevSignIn request =
        new DevSignIn(
            body.getString("phone"),
            roles(body.getJsonArray("roles")),
            Optional.ofNullable(body.getString("communityId")));
    replySession(
        ctx, cookie.requested(ctx), () -> sessions.signInForDevelopment(request, clientIp(ctx)));
  }

  /**
   * Production servers have no dev sign-in: the route answers exactly like a route that does not
   * exist.
   */
  private static void absentInProduction(RoutingContext ctx) {
    ctx.fail(
        new DomainException(
            ErrorCode.ROUTE_NOT_FOUND, "path", Map.of("path", ctx.request().path())));
  }

  /** A refresh token from the body is answered in the body; one from the cookie, in the cookie. */
  private void refreshSession(RoutingContext ctx) {
    Optional<String> sent = bodyToken(ctx);
    if (sent.isPresent()) {
      replySession(ctx, cookie.requested(ctx), () -> sessions.refresh(sent.get(), clientIp(ctx)));
      return;
    }
    replySession(ctx, true, () -> sessions.refresh(cookieToken(ctx), clientIp(ctx)));
  }

  private void logout(RoutingContext ctx) {
    Optional<String> sent = bodyToken(ctx);
    if (sent.isPresent()) {
      Replies.noContent(ctx, () -> sessions.logout(sent.get(), clientIp(ctx)));
      return;
    }
    Replies.noContent(
        ctx,
        () -> {
          Optional<String> token = cookieTokenIfAny(ctx);
          cookie.clear(ctx);
          return token.isEmpty()
              ? Future.succeededFuture()
              : sessions.logout(token.get(), clientIp(ctx));
        });
  }

  private void replySession(
      RoutingContext ctx, boolean byCookie, Supplier<Future<SessionService.Session>> opening) {
    Replies.json(
        ctx,
        200,
        () ->
            opening
                .get()
                .map(session -> byCookie ? cookie.handOver(ctx, session) : Views.session(session)));
  }

  private static Optional<String> bodyToken(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    return Optional.ofNullable(body == null ? null : body.getString("refreshToken"));
  }

  /** Without a token in the body, a request must use the cookie (the JSON flow always sent one). */
  private Optional<String> cookieTokenIfAny(RoutingContext ctx) {
    if (!cookie.used(ctx)) {
      throw DomainException.invalidField("body", "required", Map.of());
    }
    return cookie.read(ctx);
  }

  private String cookieToken(RoutingContext ctx) {
    return cookieTokenIfAny(ctx)
        .orElseThrow(
            () -> new DomainException(ErrorCode.INVALID_REFRESH_TOKEN, "noCookie", Map.of()));
  }

  private void getJwks(RoutingContext ctx) {
    Replies.json(ctx, 200, () -> Future.succeededFuture(signingKeys.get().publicJwks()));
  }

  private static Set<Role> roles(JsonArray roles) {
    Set<Role> parsed = EnumSet.noneOf(Role.class);
    for (Object role : roles == null ? List.of() : roles) {
      parsed.add(Role.valueOf((String) role));
    }
    return parsed;
  }

  private String clientIp(RoutingContext ctx) {
    return clientAddresses.of(ctx.request());
  }
}
