package org.civicpoints.api.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.TestDevnet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chaincode events reach the handler in chain order, each once, in batches: what arrived while the
 * handler worked on one batch comes as the next, so a projector that falls behind catches up with
 * fewer, larger writes.
 */
class ChainEventBatchesTest {

  private TestDevnet devnet;
  private Vertx vertx;
  private FabricLedger ledger;

  @BeforeEach
  void start() {
    devnet = TestDevnet.start();
    vertx = Vertx.vertx();
    Map<String, String> environment = new HashMap<>(devnet.settings());
    environment.put("CIVIC_ENV", "dev");
    ledger = FabricLedger.connect(vertx, ApiConfig.fromEnv(environment).fabric());
  }

  @AfterEach
  void stop() throws Exception {
    ledger.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    devnet.close();
  }

  @Test
  void events_committed_while_the_handler_works_come_together_in_chain_order_each_once()
      throws Exception {
    List<List<ChainEvent>> batches = new CopyOnWriteArrayList<>();
    Promise<Void> firstBatchHeld = Promise.promise();
    List<String> rules = new ArrayList<>();
    rules.add(putRule());
    Ledger.Following following =
        ledger.follow(
            0,
            batch -> {
              batches.add(batch);
              return batches.size() == 1 ? firstBatchHeld.future() : Future.succeededFuture();
            },
            failure -> {});
    try {
      Eventually.until("the first batch", Duration.ofSeconds(30), () -> !batches.isEmpty());
      for (int i = 0; i < 6; i++) {
        rules.add(
            putRule()); // each waits for its commit: all six are on chain while the first batch is
        // held
      }
      vertx.runOnContext(v -> firstBatchHeld.complete());
      Eventually.until(
          "every rule's event",
          Duration.ofSeconds(30),
          () -> ruleIds(batches).size() == rules.size());

      assertThat(ruleIds(batches)).containsExactlyElementsOf(rules);
      assertThat(batches.get(0)).hasSize(1);
      // A commit is confirmed to the submitter before its event reaches every stream, so the last
      // of
      // the six may still be on its way when the first batch is let go: it then comes as a third.
      assertThat(batches.get(1))
          .as("the events that arrived meanwhile, in one batch")
          .hasSizeGreaterThan(1);
      List<ChainEvent> all = batches.stream().flatMap(List::stream).toList();
      for (int i = 1; i < all.size(); i++) {
        ChainEvent before = all.get(i - 1);
        ChainEvent after = all.get(i);
        assertThat(
                after.blockNumber() > before.blockNumber()
                    || (after.blockNumber() == before.blockNumber()
                        && after.txOrdinal() == before.txOrdinal() + 1))
            .isTrue();
      }
    } finally {
      following.stop();
    }
  }

  private String putRule() throws Exception {
    String ruleId = Ids.ruleId();
    ledger
        .putRule(new Ledger.RuleVersion(ruleId, 1, "VOLUNTEER", 10, 100, 1_000, true))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    return ruleId;
  }

  private static List<String> ruleIds(List<List<ChainEvent>> batches) {
    return batches.stream()
        .flatMap(List::stream)
        .filter(event -> "RuleChanged".equals(event.name()))
        .map(event -> event.payload().getString("ruleId"))
        .toList();
  }
}
