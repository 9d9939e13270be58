package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.OrgTree;
import org.civicpoints.api.service.AccessTokens;

/**
 * Builds the router from the contract: for every operation, authentication (when the contract
 * secures it), validation, then its handler. Start-up fails when an operation has no handler or a
 * handler has no operation.
 */
public final class Routes {

  private Routes() {}

  /**
   * {@code consolePolicy}: the console page's Content-Security-Policy ({@link ConsoleSettings}).
   */
  public static Router build(
      Vertx vertx,
      Contract contract,
      AccessTokens accessTokens,
      Function<String, Future<Language>> storedLanguageOf,
      Supplier<OrgTree> orgTree,
      List<Map<String, Handler<RoutingContext>>> handlerGroups,
      String consolePolicy) {
    Map<String, Handler<RoutingContext>> handlers = merge(handlerGroups);
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract.openApi())
            .rootHandler(new TraceIds())
            .rootHandler(new AccessLog())
            .rootHandler(new NoStore())
            .rootHandler(new BodyLimits());
    VertxInternals validator = new VertxInternals(vertx, contract.openApi());
    Authentication authentication = new Authentication(accessTokens, orgTree);
    TreeSet<String> unhandled = new TreeSet<>();
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      Handler<RoutingContext> handler = handlers.remove(operation.getOperationId());
      if (handler == null) {
        unhandled.add(operation.getOperationId());
        continue;
      }
      // Our own chain instead of the builder's: authentication must come before validation.
      route.setDoSecurity(false).setDoValidation(false);
      if (isSecured(operation)) {
        route.addHandler(authentication);
      }
      route
          .addHandler(
              new RequestValidation(
                  validator, operation, contract.requestTypes(operation.getOperationId())))
          .addHandler(handler);
    }
    requireOneHandlerPerOperation(unhandled, handlers.keySet());
    Router router = builder.createRouter();
    ContractDocs.mount(router, contract);
    ConsoleSite.mount(router, consolePolicy);
    Problems problems = new Problems(storedLanguageOf);
    router.route().failureHandler(problems);
    router.errorHandler(404, problems).errorHandler(405, problems).errorHandler(413, problems);
    return router;
  }

  private static boolean isSecured(Operation operation) {
    return operation.getSecurityRequirements().stream()
        .anyMatch(requirement -> !requirement.isEmpty());
  }

  private static Map<String, Handler<RoutingContext>> merge(
      List<Map<String, Handler<RoutingContext>>> groups) {
    Map<String, Handler<RoutingContext>> merged = new HashMap<>();
    for (Map<String, Handler<RoutingContext>> group : groups) {
      group.forEach(
          (operationId, handler) -> {
            if (merged.put(operationId, handler) != null) {
              throw new IllegalStateException("Two handlers for operation " + operationId);
            }
          });
    }
    return merged;
  }

  private static void requireOneHandlerPerOperation(
      TreeSet<String> unhandled, java.util.Set<String> unknown) {
    if (!unhandled.isEmpty()) {
      throw new IllegalStateException("Operations of the contract without a handler: " + unhandled);
    }
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(
          "Handlers for operations the contract does not have: " + new TreeSet<>(unknown));
    }
  }
}
