package org.civicpoints.api.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.civicpoints.api.mongo.MongoProjectorCheckpoints;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.support.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances share one job's lease in MongoDB: one holds it at a time, a lapsed one moves. */
class LeasedJobTest {

  private static final Instant START = Instant.parse("2026-12-06T19:00:00Z");
  private static final String JOB = "nightly";

  private MongoServer server;
  private MongoStore store;
  private ProjectorCheckpoints leases;
  private Vertx vertx;
  private final SettableClock clock = new SettableClock(START);

  @BeforeEach
  void start() {
    server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    store = new MongoStore("mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), "leases");
    leases = new MongoProjectorCheckpoints(store);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
    store.close();
    server.shutdownNow();
  }

  @Test
  void a_long_round_keeps_its_lease_until_it_lapses_and_another_instance_takes_it()
      throws Exception {
    LeasedJob here = job("api-here");
    await(here.keepLease());
    assertThat(otherInstanceTakesLease()).as("while this instance holds it").isFalse();

    clock.set(START.plusSeconds(20));
    await(here.keepLease());
    clock.set(START.plusSeconds(45));
    assertThat(otherInstanceTakesLease()).as("renewed at 20 s, so held until 50 s").isFalse();

    clock.set(START.plusSeconds(51));
    assertThat(otherInstanceTakesLease()).as("lapsed").isTrue();
    assertThatThrownBy(() -> await(here.keepLease())).hasCauseInstanceOf(LeasedJob.LeaseLost.class);
  }

  @Test
  void a_stopped_job_gives_its_lease_up_at_once() throws Exception {
    LeasedJob here = job("api-here");
    here.start();
    await(here.keepLease());

    await(here.stop());

    assertThat(otherInstanceTakesLease()).isTrue();
  }

  private LeasedJob job(String owner) {
    return new LeasedJob.Runner(vertx, leases, owner, clock)
        .every(Duration.ofHours(1), JOB, Duration.ofSeconds(30), now -> Future.succeededFuture());
  }

  private boolean otherInstanceTakesLease() throws Exception {
    Instant now = clock.instant();
    return await(leases.holdLease(JOB, "api-there", now, now.plusSeconds(30)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
