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

  public AuthHandlers(
      SessionService sessions,
      Supplier<SigningKeys> signingKeys,
      boolean devSignInEnabled,
      ClientAddresses clientAddresses) {
    this.sessions = sessions;
    this.signingKeys = signingKeys;
    this.devSignInEnabled = devSignInEnabled;
    this.clientAddresses = clientAddresses;
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
    Replies.json(
        ctx, 200, () -> sessions.signInWithFirebase(idToken, clientIp(ctx)).map(Views::session));
  }

  private void signInForDevelopment(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    DevSignIn request =
        new DevSignIn(
            body.getString("phone"),
            roles(body.getJsonArray("roles")),
            Optional.ofNullable(body.getString("communityId")));
    Replies.json(
        ctx, 200, () -> sessions.signInForDevelopment(request, clientIp(ctx)).map(Views::session));
  }

  /**
   * Production servers have no dev sign-in: the route answers exactly like a route that does not
   * exist.
   */
  private static void absentInProduction(RoutingContext ctx) {
    ctx.fail(
        new DomainException(
            ErrorCode.ROUTE_NOT_FOUND, "There is no " + ctx.request().path() + "."));
  }

  private void refreshSession(RoutingContext ctx) {
    String refreshToken = ValidInput.of(ctx).body().getString("refreshToken");
    Replies.json(ctx, 200, () -> sessions.refresh(refreshToken, clientIp(ctx)).map(Views::session));
  }

  private void logout(RoutingContext ctx) {
    String refreshToken = ValidInput.of(ctx).body().getString("refreshToken");
    Replies.noContent(ctx, () -> sessions.logout(refreshToken, clientIp(ctx)));
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
