package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.api.support.Eventually.until;

import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.bson.Document;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.fabric.FabricLedger;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.service.LedgerProjector;
import org.civicpoints.api.service.LedgerRelay;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.ApiProcess;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.civicpoints.devnet.Devnet;
import org.civicpoints.devnet.DevnetConfig;
import org.civicpoints.devnet.Organization;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three API processes (the jar, each in a JVM of its own, on 127.0.0.1 and free ports) sharing one
 * MongoDB and one Fabric peer, as several instances behind an ingress share them in production. The
 * test owns the shared parts — a mongo-java-server in memory and a standalone devnet — so any
 * instance can be killed. Each API reaches them as a production API reaches its own: MONGO_URI,
 * FABRIC_PEER_ENDPOINT with the devnet's TLS CA, the relay's and the rules admin's identities, and
 * one JWT key file, so a token issued by one instance is honoured by the others. CIVIC_ENV stays
 * dev only for the dev sign-in (no Firebase here); dev starts no embedded part once both addresses
 * are given.
 *
 * <p>Round 1 approves half the claims, spread over all three instances through HTTP batch
 * approvals, and measures approvals/s to RECORDED; round 2 approves the other half while one
 * instance is killed with SIGKILL and started again (batches it cannot answer go to the next
 * instance, as an ingress would send them). Then: every approval RECORDED and on the chain exactly
 * once, no MVCC or phantom conflict in any block, every member's balance equal to the chain's
 * account, and each projector's lease held by one instance at a time (watched every 100 ms through
 * the run, the relay's too). Last, read rps of {@code GET /v1/me/points} against one instance and
 * against three.
 *
 * <p>{@code -Dscaleout.approvals} (600; the figure is 3000), {@code -Dscaleout.batch} (20),
 * {@code -Dscaleout.readSeconds} (5). The APIs' logs are in {@code target/scale-out/}.
 */
class ScaleOutIT {

  private static final String COMMUNITY = "c-east-1a";
  private static final long POINTS = 10;
  private static final int INSTANCES = 3;
  private static final int CLAIMS_PER_MEMBER = 10;
  private static final int WORKERS = 6;
  private static final int READ_CONNECTIONS = 32;
  private static final Path JAR = Path.of("target", "civic-points-api.jar");
  private static final Path LOGS = Path.of("target", "scale-out");

  /** The leases one instance at a time holds, and their terms. */
  private static final Map<String, Duration> LEASES =
      Map.of(
          "points",
          LedgerProjector.LEASE,
          "standings",
          LedgerProjector.LEASE,
          LedgerRelay.LEASE_NAME,
          LedgerRelay.LEASE);

  private final int approvals = Integer.getInteger("scaleout.approvals", 600);
  private final int batchSize = Integer.getInteger("scaleout.batch", 20);
  private final int readSeconds = Integer.getInteger("scaleout.readSeconds", 5);
  private final Path dataDir = TestApi.temporaryDirectory();
  private final Vertx vertx = Vertx.vertx();
  private final MongoServer mongo = new MongoServer(new MemoryBackend());
  private final AtomicReferenceArray<Instance> instances = new AtomicReferenceArray<>(INSTANCES);
  private final List<Member> members = new ArrayList<>();
  private final Set<String> approved = ConcurrentHashMap.newKeySet();
  private Devnet devnet;
  private MongoProbe store;
  private FabricLedger chain;
  private LeaseWatch leases;
  private int starts;
  private Sessions.SignedIn admin;
  private Sessions.SignedIn staff;
  private String activityId;

  /** One running API process and a client of it. */
  private record Instance(ApiProcess process, ApiClient client) {}

  private record Member(Sessions.SignedIn signedIn, List<String> submissions) {
    String memberId() {
      return signedIn.memberId();
    }
  }

  @AfterEach
  void stop() {
    if (leases != null) {
      leases.stop();
    }
    for (int i = 0; i < INSTANCES; i++) {
      Instance instance = instances.getAndSet(i, null);
      if (instance != null) {
        instance.client().close();
        instance.process().kill();
      }
    }
    if (chain != null) {
      chain.close().await();
    }
    if (store != null) {
      store.close();
    }
    if (devnet != null) {
      devnet.close();
    }
    mongo.shutdownNow();
    vertx.close().await();
  }

  @Test
  void three_instances_record_every_approval_once_without_conflicts_through_a_kill() {
    assertThat(approvals).as("-Dscaleout.approvals").isGreaterThanOrEqualTo(2 * CLAIMS_PER_MEMBER);
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    startDevnet();
    store = new MongoProbe(mongoUri(), "civic_points");
    for (int i = 0; i < INSTANCES; i++) {
      start(i);
    }
    leases = new LeaseWatch();
    setUp();
    claimAll();
    List<String> submissions = shuffled();
    int half = submissions.size() / 2;
    System.out.printf(
        "scale out: %d instances, %d members, %d claims, batches of %d%n",
        INSTANCES, members.size(), submissions.size(), batchSize);
    Round first = new Round("round 1", submissions.subList(0, half), -1);
    first.run();
    int victim = projectorHolder();
    Round second = new Round("round 2", submissions.subList(half, submissions.size()), victim);
    second.run();
    System.out.printf(
        "scale out: 2 rounds, 1 kill (instance %d, SIGKILL, exit %d), restarted in %.1f s%n",
        victim, second.exit, second.restartSeconds);
    awaitSettled();
    leases.stop();
    checkRecordedOnce();
    checkNoConflicts();
    checkBalances();
    leases.check();
    readRps();
  }

  // ---------------------------------------------------------------- the shared parts and the APIs

  private void startDevnet() {
    try {
      devnet = Devnet.start(DevnetConfig.of(dataDir.resolve("devnet"), 0));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String mongoUri() {
    return "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
  }

  /** Blocking: starts instance {@code index} (again) on the shared store and chain. */
  private void start(int index) {
    starts++;
    ApiProcess process =
        ApiProcess.start(JAR, environment(index), LOGS.resolve("api-" + starts + ".log"));
    assertThat(process.mongoPort).as("no embedded MongoDB beside the shared one").isZero();
    assertThat(process.devnetEndpoint).as("no embedded devnet beside the shared one").isNull();
    instances.set(index, new Instance(process, ApiClient.create(vertx, process.httpPort)));
  }

  private Map<String, String> environment(int index) {
    Map<String, String> environment = peerSettings("relay");
    environment.put("DATA_DIR", dataDir.resolve("api-" + index).toString());
    environment.put("MONGO_URI", mongoUri());
    environment.put("JWT_KEY_FILE", dataDir.resolve("jwt-signing-keys.json").toString());
    environment.put("AUTH_RATE_LIMIT_PER_IP", "1000000");
    environment.put("AUTH_RATE_LIMIT_PER_PHONE", "100000");
    return environment;
  }

  /** What an API needs to use the devnet as its peer, writing as {@code writer}. */
  private Map<String, String> peerSettings(String writer) {
    Organization organization = devnet.organization();
    Organization.User user = organization.user(writer);
    Organization.User rulesAdmin = organization.user("admin");
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("FABRIC_PEER_ENDPOINT", devnet.endpoint());
    environment.put("FABRIC_MSP_ID", organization.mspId());
    environment.put("FABRIC_CERT", user.certificate().toString());
    environment.put("FABRIC_KEY", user.privateKey().toString());
    environment.put("FABRIC_TLS_CA", organization.tlsCaCertificate().toString());
    environment.put("FABRIC_RULES_CERT", rulesAdmin.certificate().toString());
    environment.put("FABRIC_RULES_KEY", rulesAdmin.privateKey().toString());
    return environment;
  }

  private ApiClient client(int index) {
    return instances.get(index).client();
  }

  /** The instance whose log says it follows the chain for the points projector. */
  private int projectorHolder() {
    List<Integer> holders =
        IntStream.range(0, INSTANCES)
            .filter(
                i ->
                    instances
                        .get(i)
                        .process()
                        .log()
                        .contains("Ledger projector points following chaincode events"))
            .boxed()
            .toList();
    assertThat(holders).as("instances that ran the points projector").hasSize(1);
    return holders.get(0);
  }

  // ---------------------------------------------------------------- the data

  private void setUp() {
    admin = Sessions.withRoles(client(0), COMMUNITY, "ADMIN");
    staff = Sessions.withRoles(client(1), COMMUNITY, "STAFF");
    Reply rule =
        client(2)
            .post(
                "createPointRule",
                "/v1/point-rules",
                new JsonObject()
                    .put("category", "VOLUNTEER")
                    .put("points", POINTS)
                    .put("dailyCap", 0)
                    .put("yearlyCap", 0)
                    .put("title", "Scale-out hour"),
                admin.accessToken());
    assertThat(rule.status()).as("rule: %s", rule.body()).isEqualTo(201);
    String ruleId = rule.json().getString("ruleId");
    until(
        "the rule on chain",
        Duration.ofSeconds(60),
        Duration.ofMillis(200),
        () ->
            "DONE"
                .equals(
                    client(0)
                        .get("getPointRule", "/v1/point-rules/" + ruleId, admin.accessToken())
                        .json()
                        .getString("ledgerState")));
    Instant now = Instant.now();
    Reply activity =
        client(0)
            .post(
                "createActivity",
                "/v1/activities",
                new JsonObject()
                    .put("communityId", COMMUNITY)
                    .put("type", "VOLUNTEER")
                    .put("title", "Scale-out clean-ups")
                    .put("ruleId", ruleId)
                    .put("startsAt", now.minus(400, ChronoUnit.DAYS).toString())
                    .put("endsAt", now.plus(1, ChronoUnit.DAYS).toString())
                    .put("checkIn", "NONE"),
                staff.accessToken());
    assertThat(activity.status()).as("activity: %s", activity.body()).isEqualTo(201);
    activityId = activity.json().getString("activityId");
  }

  /** Members sign in and claim through all three instances, a day of its own for each claim. */
  private void claimAll() {
    int count = Math.max(1, approvals / CLAIMS_PER_MEMBER);
    List<Runnable> work = new ArrayList<>();
    for (int m = 0; m < count; m++) {
      Member member =
          new Member(
              Sessions.inCommunity(client(m % INSTANCES), COMMUNITY), new CopyOnWriteArrayList<>());
      members.add(member);
      for (int c = 0; c < CLAIMS_PER_MEMBER; c++) {
        int claim = c;
        int through = (m + c) % INSTANCES;
        work.add(() -> member.submissions().add(claim(member, claim, through)));
      }
    }
    inParallel(work);
  }

  private String claim(Member member, int claim, int through) {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2 + claim);
    JsonObject body =
        new JsonObject()
            .put("activityId", activityId)
            .put("occurredOn", day.toString())
            .put("units", 1);
    Reply reply =
        client(through)
            .sendRaw(
                "createSubmission",
                HttpMethod.POST,
                "/v1/submissions",
                Buffer.buffer(Json.encode(body)),
                Map.of(
                    "Authorization", "Bearer " + member.signedIn().accessToken(),
                    "Content-Type", "application/json",
                    "Idempotency-Key", "scale-" + member.memberId() + "-" + claim));
    assertThat(reply.status()).as("claim: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("submissionId");
  }

  private List<String> shuffled() {
    List<String> all = new ArrayList<>();
    members.forEach(member -> all.addAll(member.submissions()));
    Collections.shuffle(all, new Random(17));
    return all;
  }

  private static void inParallel(List<Runnable> work) {
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    try {
      List<java.util.concurrent.Future<?>> done = work.stream().map(pool::submit).toList();
      for (java.util.concurrent.Future<?> task : done) {
        task.get(5, TimeUnit.MINUTES);
      }
    } catch (java.util.concurrent.ExecutionException failed) {
      if (failed.getCause() instanceof AssertionError violated) {
        throw violated;
      }
      throw new IllegalStateException(failed.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- the rounds

  /** Batch approvals spread round-robin over the instances; one instance killed if victim ≥ 0. */
  private final class Round {
    final String label;
    final List<String> submissions;
    final int victim;
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger redirected = new AtomicInteger();
    final AtomicInteger[] answered = new AtomicInteger[INSTANCES];
    int exit;
    double restartSeconds;

    Round(String label, List<String> submissions, int victim) {
      this.label = label;
      this.submissions = submissions;
      this.victim = victim;
      Arrays.setAll(answered, i -> new AtomicInteger());
    }

    void run() {
      long recordedBefore = recorded();
      long started = System.nanoTime();
      List<Runnable> work = new ArrayList<>();
      for (int from = 0, batch = 0; from < submissions.size(); from += batchSize, batch++) {
        List<String> ids =
            submissions.subList(from, Math.min(from + batchSize, submissions.size()));
        int through = batch % INSTANCES;
        work.add(() -> approve(ids, through));
      }
      if (victim >= 0) {
        work.add(work.size() / 2, this::killAndRestart);
      }
      inParallel(work);
      double answeredSeconds = (System.nanoTime() - started) / 1e9;
      long target = recordedBefore + submissions.size();
      until(
          label + ": every approval RECORDED",
          Duration.ofMinutes(3),
          Duration.ofMillis(100),
          () -> recorded() >= target);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "%s: %d approvals in %d batch requests (per instance %s, %d sent on after an instance"
              + " failed), answered in %.1f s, all RECORDED after %.1f s: %.0f approvals/s to"
              + " RECORDED%s%n",
          label,
          submissions.size(),
          sent.get(),
          Arrays.toString(answered),
          redirected.get(),
          answeredSeconds,
          seconds,
          submissions.size() / seconds,
          victim >= 0 ? " (with a kill; awards the killed instance held wait out its lease)" : "");
    }

    /** A batch through {@code through}, or through the next live instance while it is down. */
    private void approve(List<String> ids, int through) {
      for (int attempt = 0; attempt < INSTANCES; attempt++) {
        int index = (through + attempt) % INSTANCES;
        Instance instance = instances.get(index);
        if (instance == null) {
          redirected.incrementAndGet();
          continue;
        }
        try {
          sent.incrementAndGet();
          Reply reply =
              instance
                  .client()
                  .post(
                      "batchApproveSubmissions",
                      "/v1/submissions/batch-approve",
                      new JsonObject().put("submissionIds", new JsonArray(ids)),
                      staff.accessToken());
          assertThat(reply.status()).as("batch-approve: %s", reply.body()).isEqualTo(200);
          for (Object item : reply.json().getJsonArray("items")) {
            JsonObject outcome = (JsonObject) item;
            assertThat(outcome.getString("outcome")).isIn("APPROVED", "ALREADY_APPROVED");
            approved.add(outcome.getString("submissionId"));
          }
          answered[index].incrementAndGet();
          return;
        } catch (Exception unanswered) { // the kill's reset comes as an IOException
          if (index != victim || !down.get()) {
            throw unanswered;
          }
          redirected.incrementAndGet();
        }
      }
      throw new AssertionError("no instance answered a batch");
    }

    private void killAndRestart() {
      down.set(true);
      Instance killed = instances.getAndSet(victim, null);
      exit = killed.process().kill();
      killed.client().close();
      assertThat(exit).as("exit status after SIGKILL").isEqualTo(ApiProcess.KILLED_BY_SIGKILL);
      System.out.printf(
          "%s: instance %d (the points projector's holder) killed with SIGKILL after %d batches%n",
          label, victim, sent.get());
      long restarting = System.nanoTime();
      start(victim);
      restartSeconds = (System.nanoTime() - restarting) / 1e9;
      down.set(false);
    }
  }

  private long recorded() {
    return store.count("submissions", Filters.eq("status", "RECORDED"));
  }

  /** The relays have nothing left and both projectors stand at the same chain position. */
  private void awaitSettled() {
    until(
        "the relays and the projectors idle",
        Duration.ofMinutes(3),
        Duration.ofMillis(250),
        () -> {
          JsonObject status =
              client(0).get("getLedgerStatus", "/v1/ledger/status", admin.accessToken()).json();
          JsonObject relay = status.getJsonObject("relay");
          return relay.getLong("queued") == 0
              && relay.getLong("submitted") == 0
              && status.getJsonObject("projection").getLong("lagBlocks") == 0
              && checkpoint("standings").equals(checkpoint("points"));
        });
  }

  private Optional<List<Long>> checkpoint(String projector) {
    return Optional.ofNullable(store.findOne("ledger_checkpoints", Filters.eq("_id", projector)))
        .map(
            document ->
                List.of(
                    document.get("blockNumber", Number.class).longValue(),
                    document.get("txOrdinal", Number.class).longValue()));
  }

  // ---------------------------------------------------------------- the checks

  /** Every approved claim is RECORDED, and its entry is on the chain exactly once. */
  private void checkRecordedOnce() {
    assertThat(approved).as("approved claims").hasSize(shuffled().size());
    assertThat(store.count("submissions", Filters.in("_id", approved))).isEqualTo(approved.size());
    assertThat(
            store.count(
                "submissions",
                Filters.and(Filters.in("_id", approved), Filters.ne("status", "RECORDED"))))
        .as("approved claims not RECORDED")
        .isZero();
    Map<String, Integer> onChain = entriesOnChain();
    assertThat(onChain.keySet()).as("entry ids on the chain").isEqualTo(approved);
    assertThat(onChain)
        .as("entry ids on the chain more than once")
        .allSatisfy((entryId, times) -> assertThat(times).as(entryId).isEqualTo(1));
    System.out.printf(
        "check: %d approvals RECORDED, each on the chain exactly once%n", approved.size());
  }

  /** Every chaincode event from block 0 (through the test's own reader), entry ids counted. */
  private Map<String, Integer> entriesOnChain() {
    chain =
        vertx.executeBlocking(() -> FabricLedger.connect(vertx, readerConfig().fabric())).await();
    long last = checkpoint("points").orElseThrow().get(0);
    List<Ledger.ChainEvent> events = new CopyOnWriteArrayList<>();
    Ledger.Following following =
        chain.follow(
            0,
            batch -> {
              events.addAll(batch);
              return Future.succeededFuture();
            },
            stopped -> {});
    try {
      until(
          "the chain's events up to block " + last,
          Duration.ofSeconds(60),
          () -> events.stream().anyMatch(event -> event.blockNumber() >= last));
    } finally {
      following.stop();
    }
    Map<String, Integer> counts = new HashMap<>();
    for (MovedEntry entry : LedgerProjector.movedEntries(events)) {
      counts.merge(entry.entryId(), 1, Integer::sum);
    }
    return counts;
  }

  private ApiConfig readerConfig() {
    Map<String, String> environment = peerSettings("reader");
    environment.put("DATA_DIR", TestApi.temporaryDirectory().toString());
    environment.put("MONGO_URI", mongoUri());
    return ApiConfig.fromEnv(environment);
  }

  /** The devnet's own record: the validation code of every transaction in every block. */
  private void checkNoConflicts() {
    Map<TxValidationCode, Integer> codes = new java.util.EnumMap<>(TxValidationCode.class);
    for (long number = 1; number < devnet.height(); number++) {
      Block block = block(number);
      byte[] filter =
          block
              .getMetadata()
              .getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
              .toByteArray();
      for (byte code : filter) {
        codes.merge(TxValidationCode.forNumber(code & 0xff), 1, Integer::sum);
      }
    }
    System.out.printf(
        "check: %d blocks, transactions by validation code %s%n", devnet.height(), codes);
    assertThat(codes.getOrDefault(TxValidationCode.MVCC_READ_CONFLICT, 0))
        .as("MVCC read conflicts at the devnet")
        .isZero();
    assertThat(codes.getOrDefault(TxValidationCode.PHANTOM_READ_CONFLICT, 0))
        .as("phantom read conflicts at the devnet")
        .isZero();
  }

  private Block block(long number) {
    try {
      return devnet.block(number).orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Each member's balance through the API (any instance) equals its account on the chain. */
  private void checkBalances() {
    for (int m = 0; m < members.size(); m++) {
      Member member = members.get(m);
      JsonObject points =
          client(m % INSTANCES)
              .get("getMyPoints", "/v1/me/points", member.signedIn().accessToken())
              .json();
      JsonObject account = onChain(() -> chain.account(member.memberId())).orElseThrow();
      long expected = POINTS * member.submissions().size();
      assertThat(account.getLong("entryCount"))
          .as("entries of %s on chain", member.memberId())
          .isEqualTo((long) member.submissions().size());
      assertThat(account.getLong("earned")).isEqualTo(expected);
      assertThat(points.getLong("balance"))
          .as("balance of %s", member.memberId())
          .isEqualTo(account.getLong("balance"));
      assertThat(points.getLong("earned")).isEqualTo(account.getLong("earned"));
    }
    System.out.printf(
        "check: %d members' balances through the APIs equal their accounts on the chain%n",
        members.size());
  }

  private static <T> T onChain(Supplier<Future<T>> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.get().await();
      } catch (LedgerFailure failure) {
        if (failure.kind() != LedgerFailure.Kind.RETRYABLE || attempt == 5) {
          throw failure;
        }
      }
    }
  }

  // ---------------------------------------------------------------- the projectors' leases

  /**
   * Reads the projectors' and the relay's lease documents every 100 ms through the run. A lease
   * changes hands only after its holder's term ran out or was given up: the new holder's term
   * (taken at its now plus the lease) starts after the last term seen of the previous holder.
   */
  private final class LeaseWatch {
    final Map<String, List<String>> holders = new ConcurrentHashMap<>();
    final Map<String, Instant> lastUntil = new ConcurrentHashMap<>();
    final Map<String, String> lastOwner = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    final long timer = vertx.setPeriodic(100, id -> vertx.executeBlocking(this::sample, false));

    private Void sample() {
      samples.incrementAndGet();
      LEASES.forEach(
          (name, term) -> {
            Document lease =
                store.findOne("ledger_checkpoints", Filters.eq("_id", name + "-projector-lease"));
            if (lease != null) {
              seen(name, term, lease.getString("owner"), lease.getDate("until").toInstant());
            }
          });
      return null;
    }

    private void seen(String projector, Duration term, String owner, Instant until) {
      String previous = lastOwner.put(projector, owner);
      if (previous != null && !previous.equals(owner)) {
        Instant taken = until.minus(term);
        Instant before = lastUntil.get(projector);
        if (!taken.isAfter(before)) {
          violations.add(
              projector
                  + ": "
                  + owner
                  + " took it at "
                  + taken
                  + ", "
                  + previous
                  + " held it until "
                  + before);
        }
      }
      if (previous == null || !previous.equals(owner)) {
        holders.computeIfAbsent(projector, p -> new CopyOnWriteArrayList<>()).add(owner);
      }
      lastUntil.put(projector, until);
    }

    void stop() {
      vertx.cancelTimer(timer);
    }

    void check() {
      System.out.printf("check: projector leases over %d samples: %s%n", samples.get(), holders);
      assertThat(violations).as("a lease taken while another instance held it").isEmpty();
      assertThat(holders.keySet()).as("leases seen").isEqualTo(LEASES.keySet());
    }
  }

  // ---------------------------------------------------------------- read rps

  /** GET /v1/me/points by every member in turn, 32 connections: against one, then all three. */
  private void readRps() {
    double one = readRps(List.of(0));
    double three = readRps(List.of(0, 1, 2));
    System.out.printf(
        "reads: GET /v1/me/points, %d connections, %d s each: one instance %.0f rps, three"
            + " instances %.0f rps (%.2fx)%n",
        READ_CONNECTIONS, readSeconds, one, three, three / one);
  }

  private double readRps(List<Integer> through) {
    List<WebClient> clients =
        through.stream()
            .map(
                index ->
                    WebClient.create(
                        vertx,
                        new WebClientOptions()
                            .setDefaultHost("127.0.0.1")
                            .setDefaultPort(instances.get(index).process().httpPort),
                        new PoolOptions().setHttp1MaxSize(READ_CONNECTIONS)))
            .toList();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long ends = System.nanoTime() + TimeUnit.SECONDS.toNanos(readSeconds);
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < READ_CONNECTIONS; c++) {
      Promise<Void> done = Promise.promise();
      read(clients.get(c % clients.size()), c, ends, ok, failed, done);
      loops.add(done.future());
    }
    Future.all(loops).await();
    clients.forEach(WebClient::close);
    assertThat(failed.get()).as("reads not answered 200").isZero();
    return ok.get() / (double) readSeconds;
  }

  private void read(
      WebClient client, int n, long ends, AtomicLong ok, AtomicLong failed, Promise<Void> done) {
    if (System.nanoTime() >= ends) {
      done.complete();
      return;
    }
    String token = members.get(n % members.size()).signedIn().accessToken();
    client
        .get("/v1/me/points")
        .putHeader("Authorization", "Bearer " + token)
        .send()
        .onComplete(
            reply -> {
              (reply.succeeded() && reply.result().statusCode() == 200 ? ok : failed)
                  .incrementAndGet();
              read(client, n + READ_CONNECTIONS, ends, ok, failed, done);
            });
  }
}
