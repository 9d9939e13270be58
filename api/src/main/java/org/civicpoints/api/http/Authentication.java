package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.OrgTree;
import org.civicpoints.api.service.AccessTokens;

/** Runs before validation on every operation the contract secures with bearerAuth. */
final class Authentication implements Handler<RoutingContext> {

  private static final String KEY = "caller";
  private static final String BEARER = "bearer ";

  private final AccessTokens accessTokens;
  private final Supplier<OrgTree> orgTree;

  /** {@code orgTree}: the tree of the moment, in which the caller's scopes are read. */
  Authentication(AccessTokens accessTokens, Supplier<OrgTree> orgTree) {
    this.accessTokens = accessTokens;
    this.orgTree = orgTree;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization == null
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      ctx.fail(new DomainException(ErrorCode.UNAUTHENTICATED, "bearer", Map.of()));
      return;
    }
    try {
      Caller caller = accessTokens.verify(authorization.substring(BEARER.length()).trim());
      if (accessTokens.refused(caller.memberId()) && !isAccountDeletion(ctx)) {
        throw new DomainException(ErrorCode.INVALID_TOKEN, "memberDeleted", Map.of());
      }
      ctx.put(KEY, caller.within(orgTree.get()));
    } catch (DomainException invalid) {
      ctx.fail(invalid);
      return;
    }
    ctx.next();
  }

  /**
   * A deleted account's tokens open nothing but a repeat of its deletion, so a client whose first
   * answer was lost learns that it is done (204) instead of a 401.
   */
  private static boolean isAccountDeletion(RoutingContext ctx) {
    return ctx.request().method() == HttpMethod.DELETE && "/v1/me".equals(ctx.normalizedPath());
  }

  /** The caller when the operation is secured and the token verified; empty before or without. */
  static Optional<Caller> callerIfAny(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(KEY));
  }

  static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException(
          "Operation is not secured in the contract but its handler needs a caller");
    }
    return caller;
  }
}
