package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.civicpoints.api.mongo.MongoProjectorCheckpoints;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.support.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A feed that stops on a failure found on its own reading thread (an unreadable chaincode event) is
 * restarted once, on the verticle's context: the restart timer, the lease renewals and the new feed
 * never run on another event loop, where they would race the verticle's own timer.
 */
class LedgerProjectorContextTest {

  private MongoServer mongo;
  private MongoStore store;
  private Vertx vertx;

  @BeforeEach
  void start() {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    store =
        new MongoStore(
            "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), "projector-context");
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    store.close();
    mongo.shutdownNow();
  }

  @Test
  void a_feed_failing_on_its_reading_thread_restarts_once_on_the_verticles_context() {
    FirstFeedFails ledger = new FirstFeedFails();
    ProjectorVerticle verticle =
        new ProjectorVerticle(ledger, new MongoProjectorCheckpoints(store));
    vertx.deployVerticle(verticle).await();

    Eventually.until("the feed restarted", Duration.ofSeconds(15), () -> ledger.opened.get() == 2);

    assertThat(ledger.openedOn)
        .as("every feed opened on the verticle's context")
        .hasSize(2)
        .allSatisfy(context -> assertThat(context).isSameAs(verticle.home()));
    assertThat(ledger.opened.get() - ledger.closed.get()).as("feeds running").isEqualTo(1);
    assertThat(verticle.projector.state().lastError()).isEqualTo("IllegalStateException");
  }

  /** Runs one projector, as the API verticle does. */
  private static final class ProjectorVerticle extends VerticleBase {
    private final Ledger ledger;
    private final ProjectorCheckpoints checkpoints;
    private LedgerProjector projector;

    ProjectorVerticle(Ledger ledger, ProjectorCheckpoints checkpoints) {
      this.ledger = ledger;
      this.checkpoints = checkpoints;
    }

    Context home() {
      return context;
    }

    @Override
    public Future<?> start() {
      projector =
          new LedgerProjector(
              vertx,
              ledger,
              checkpoints,
              ProjectorCheckpoints.POINTS,
              events -> Future.succeededFuture(),
              "api-context-test",
              Clock.systemUTC());
      projector.start();
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      return projector.stop();
    }
  }

  /**
   * A ledger whose first event feed fails on its own thread with a RuntimeException, as the
   * gateway's reading thread does on an event it cannot read; later feeds stay open. Only {@code
   * follow} is used by a projector.
   */
  private static final class FirstFeedFails implements Ledger {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    final List<Context> openedOn = new CopyOnWriteArrayList<>();

    @Override
    public Following follow(
        long startBlock,
        Function<List<ChainEvent>, Future<Void>> handler,
        Consumer<Throwable> onStopped) {
      openedOn.add(Vertx.currentContext());
      if (opened.incrementAndGet() == 1) {
        Thread reader =
            new Thread(
                () -> {
                  closed.incrementAndGet();
                  onStopped.accept(new IllegalStateException("an unreadable chaincode event"));
                },
                "ledger-events");
        reader.start();
        return () -> {};
      }
      return closed::incrementAndGet;
    }

    @Override
    public Future<Status> check() {
      return Future.succeededFuture(Status.UP);
    }

    @Override
    public Future<Committed<List<AwardOutcome>>> recordAwards(List<Award> awards) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Committed<JsonObject>> reverse(Reversal reversal) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Committed<JsonObject>> redeem(Redemption redemption) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Committed<JsonObject>> refundRedemption(Refund refund) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Committed<JsonObject>> expire(Expiry expiry) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Committed<JsonObject>> putRule(RuleVersion rule) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<JsonObject>> entry(String entryId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<JsonObject>> account(String memberId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<AccountPage> accounts(int pageSize, String bookmark) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<JsonObject>> memberEntries(String memberId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long knownHeight() {
      return 0;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
