package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.OrgTree;
import org.civicpoints.api.service.AccessTokens;
import org.civicpoints.api.service.SigningKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router is the contract: one handler per operationId, or the API does not start. */
class RoutesTest {

  private static Vertx vertx;
  private static Contract contract;
  private static AccessTokens tokens;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = Contract.load(vertx).await();
    SigningKeys keys = SigningKeys.generate();
    tokens = new AccessTokens(() -> keys, "iss", "aud", Duration.ofMinutes(15), Clock.systemUTC());
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  /** Routing does not depend on anyone's language. */
  private static final Function<String, Future<Language>> NO_CHOICE =
      memberId -> Future.succeededFuture(Language.DEFAULT);

  private static Map<String, Handler<RoutingContext>> handlerForEveryOperation() {
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>();
    for (Operation operation : contract.openApi().operations()) {
      handlers.put(operation.getOperationId(), ctx -> ctx.response().end());
    }
    return handlers;
  }

  @Test
  void a_handler_for_every_operation_builds_the_router() {
    assertThat(build(List.of(handlerForEveryOperation()))).isNotNull();
  }

  @Test
  void an_operation_without_a_handler_stops_start_up_naming_it() {
    Map<String, Handler<RoutingContext>> handlers = handlerForEveryOperation();
    handlers.remove("updateMe");
    assertThatThrownBy(() -> build(List.of(handlers)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without a handler: [updateMe]");
  }

  @Test
  void a_handler_for_an_operation_the_contract_lacks_stops_start_up() {
    Map<String, Handler<RoutingContext>> handlers = handlerForEveryOperation();
    handlers.put("deleteEverything", ctx -> ctx.response().end());
    assertThatThrownBy(() -> build(List.of(handlers)))
        .hasMessageContaining("contract does not have: [deleteEverything]");
  }

  @Test
  void two_handlers_for_one_operation_stop_start_up() {
    Map<String, Handler<RoutingContext>> getMe = Map.of("getMe", ctx -> ctx.response().end());
    assertThatThrownBy(() -> build(List.of(handlerForEveryOperation(), getMe)))
        .hasMessageContaining("Two handlers for operation getMe");
  }

  private Router build(List<Map<String, Handler<RoutingContext>>> handlerGroups) {
    return Routes.build(
        vertx,
        contract,
        tokens,
        NO_CHOICE,
        () -> OrgTree.FLAT,
        handlerGroups,
        ConsoleSite.CONTENT_SECURITY_POLICY);
  }
}
