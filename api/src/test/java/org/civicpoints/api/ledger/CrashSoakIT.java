package org.civicpoints.api.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.api.support.Eventually.until;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.bson.Document;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.fabric.FabricLedger;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.service.LedgerProjector;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.ApiProcess;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kill-anywhere soak: the API jar in its own JVM on its embedded defaults (H2 store and devnet in
 * one DATA_DIR), rounds of mixed load through HTTP, each ended by SIGKILL at a random moment and
 * followed by a restart on the same data and a check of every invariant: what the API acknowledged
 * is there, retried claims answer the same, acknowledged approvals are on the chain exactly once,
 * balances and entries equal the chain's, and the read models equal a replay from block 0.
 *
 * <p>{@code -Dsoak.minutes} (4) bounds it; {@code -Dsoak.seed} repeats a run's choices (the
 * interleaving of threads and the kill's moment within a request still vary). A failure names its
 * round and that round's seed; the API's logs are in {@code target/crash-soak/}.
 */
class CrashSoakIT {

  private static final String COMMUNITY = "c-east-1a";
  private static final long POINTS = 10;
  private static final int WORKERS = 4;
  private static final int FIRST_MEMBERS = 8;
  private static final Duration SETTLED_WITHIN = Duration.ofMinutes(3);
  private static final Path JAR = Path.of("target", "civic-points-api.jar");
  private static final Path LOGS = Path.of("target", "crash-soak");

  private final Path dataDir = TestApi.temporaryDirectory();
  private final Vertx vertx = Vertx.vertx();
  private final Acknowledged acknowledged = new Acknowledged();
  private ApiProcess api;
  private ApiClient client;
  private MongoProbe store;
  private FabricLedger chain;
  private int starts;
  private Sessions.SignedIn admin;
  private Sessions.SignedIn staff;
  private String activityId;
  private String rewardId;

  @AfterEach
  void stop() {
    closeConnections();
    if (api != null) {
      api.kill();
    }
    vertx.close().await();
  }

  @Test
  void nothing_acknowledged_is_lost_or_doubled_when_the_api_is_killed_at_any_moment() {
    long seed = Long.getLong("soak.seed", new Random().nextLong());
    Duration budget = Duration.ofMinutes(Long.getLong("soak.minutes", 4));
    Random random = new Random(seed);
    Instant until = Instant.now().plus(budget);
    System.out.printf("crash soak: seed %d, %s, DATA_DIR %s%n", seed, budget, dataDir);
    start();
    setUp();
    int round = 1;
    do {
      long roundSeed = random.nextLong();
      String label = "round " + round + " (seed " + roundSeed + ")";
      try {
        round(label, new Random(roundSeed));
      } catch (AssertionError violated) {
        throw new AssertionError(label + ": " + violated.getMessage(), violated);
      }
      round++;
    } while (round <= 2 || Instant.now().isBefore(until));
    System.out.printf("crash soak: %d rounds, %d kills, every check held%n", round - 1, round - 1);
  }

  private void round(String label, Random random) {
    Load load = new Load(random);
    long killAfter = 300 + random.nextInt(5_000);
    load.start();
    sleep(killAfter);
    load.killed.set(true);
    int exit = api.kill();
    load.join();
    assertThat(exit)
        .as("exit status after destroyForcibly: SIGKILL")
        .isEqualTo(ApiProcess.KILLED_BY_SIGKILL);
    System.out.printf(
        "%s: %d requests (%s), SIGKILL after %d ms (exit %d)%n",
        label, load.requests.get(), load.summary(), killAfter, exit);
    long restarting = System.nanoTime();
    start();
    System.out.printf(
        "%s: restarted on the same DATA_DIR in %.1f s%n",
        label, (System.nanoTime() - restarting) / 1e9);
    check(label);
  }

  // ---------------------------------------------------------------- the process and its clients

  private void start() {
    closeConnections();
    starts++;
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("DATA_DIR", dataDir.toString());
    environment.put("AUTH_RATE_LIMIT_PER_IP", "1000000");
    environment.put("AUTH_RATE_LIMIT_PER_PHONE", "100000");
    api = ApiProcess.start(JAR, environment, LOGS.resolve("api-" + starts + ".log"));
    client = ApiClient.create(vertx, api.httpPort);
    store = new MongoProbe("mongodb://127.0.0.1:" + api.mongoPort, "civic_points");
    chain =
        vertx.executeBlocking(() -> FabricLedger.connect(vertx, chainClient().fabric())).await();
  }

  /**
   * A client of the devnet, as a production API is configured for a peer (its reader and admin).
   */
  private ApiConfig chainClient() {
    return ApiConfig.fromEnv(onTheDevnet());
  }

  private Map<String, String> onTheDevnet() {
    Path organization = dataDir.resolve("devnet/organizations/CivicMSP");
    Path users = organization.resolve("users");
    Map<String, String> environment = new HashMap<>();
    environment.put("CIVIC_ENV", "dev");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("DATA_DIR", TestApi.temporaryDirectory().toString());
    environment.put("FABRIC_PEER_ENDPOINT", api.devnetEndpoint);
    environment.put("FABRIC_MSP_ID", "CivicMSP");
    environment.put("FABRIC_CERT", users.resolve("reader/msp/signcerts/cert.pem").toString());
    environment.put("FABRIC_KEY", users.resolve("reader/msp/keystore/key.pem").toString());
    environment.put("FABRIC_TLS_CA", organization.resolve("tlscacerts/tlsca.pem").toString());
    environment.put("FABRIC_RULES_CERT", users.resolve("admin/msp/signcerts/cert.pem").toString());
    environment.put("FABRIC_RULES_KEY", users.resolve("admin/msp/keystore/key.pem").toString());
    return environment;
  }

  private void closeConnections() {
    if (client != null) {
      client.close();
      store.close();
      chain.close().await();
      client = null;
    }
  }

  /** A rule on the chain, an activity without check-in over the past year, the first members. */
  private void setUp() {
    admin =
        signIn(
            new JsonObject()
                .put("phone", Sessions.freshPhone())
                .put("roles", List.of("ADMIN"))
                .put("communityId", COMMUNITY));
    staff =
        signIn(
            new JsonObject()
                .put("phone", Sessions.freshPhone())
                .put("roles", List.of("STAFF"))
                .put("communityId", COMMUNITY));
    Reply rule =
        client.post(
            "createPointRule",
            "/v1/point-rules",
            new JsonObject()
                .put("category", "VOLUNTEER")
                .put("points", POINTS)
                .put("dailyCap", 0)
                .put("yearlyCap", 0)
                .put("title", "Soak hour"),
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
                    client
                        .get("getPointRule", "/v1/point-rules/" + ruleId, admin.accessToken())
                        .json()
                        .getString("ledgerState")));
    Instant now = Instant.now();
    Reply activity =
        client.post(
            "createActivity",
            "/v1/activities",
            new JsonObject()
                .put("communityId", COMMUNITY)
                .put("type", "VOLUNTEER")
                .put("title", "Soak clean-ups")
                .put("ruleId", ruleId)
                .put("startsAt", now.minus(400, ChronoUnit.DAYS).toString())
                .put("endsAt", now.plus(1, ChronoUnit.DAYS).toString())
                .put("checkIn", "NONE"),
            staff.accessToken());
    assertThat(activity.status()).as("activity: %s", activity.body()).isEqualTo(201);
    activityId = activity.json().getString("activityId");
    Reply reward =
        client.post(
            "createReward",
            "/v1/rewards",
            new JsonObject()
                .put("scope", "community:" + COMMUNITY)
                .put("title", "Soak towel")
                .put("category", "GOODS")
                .put("pickupPlace", "Service centre")
                .put("pointsCost", 1)
                .put("stock", 1_000_000),
            staff.accessToken());
    assertThat(reward.status()).as("reward: %s", reward.body()).isEqualTo(201);
    rewardId = reward.json().getString("rewardId");
    for (int i = 0; i < FIRST_MEMBERS; i++) {
      acknowledged.member(signIn(resident(Sessions.freshPhone())));
    }
  }

  private static JsonObject resident(String phone) {
    return new JsonObject().put("phone", phone).put("communityId", COMMUNITY);
  }

  private Sessions.SignedIn signIn(JsonObject request) {
    return Sessions.signIn(client, request);
  }

  // ---------------------------------------------------------------- what the API acknowledged

  /** What a claim is, as far as the test knows. */
  private enum Known {
    PENDING,
    APPROVED,
    REJECTED,
    REVERSAL_REQUESTED,
    /** A staff request about it went unanswered (the kill): read again after the restart. */
    UNCERTAIN
  }

  private static final class Member {
    final String phone;
    final String memberId;
    final int worker;
    volatile String token;
    final AtomicInteger claims = new AtomicInteger();

    Member(Sessions.SignedIn signedIn, int worker) {
      this.phone = signedIn.phone();
      this.memberId = signedIn.memberId();
      this.token = signedIn.accessToken();
      this.worker = worker;
    }

    /** A day of its own for each claim: no two claims of a member share an activity's day. */
    JsonObject nextClaim(String activityId) {
      LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2 + claims.getAndIncrement());
      return new JsonObject()
          .put("activityId", activityId)
          .put("occurredOn", day.toString())
          .put("units", 1);
    }
  }

  private record Claim(Member member, String key, JsonObject body) {}

  private record Redemption(Member member, String key) {}

  /** Everything here was answered 2xx by the API, unless its name says otherwise. */
  private static final class Acknowledged {
    final List<Member> members = new CopyOnWriteArrayList<>();
    final Map<String, Claim> claims = new ConcurrentHashMap<>();
    final Map<String, Known> known = new ConcurrentHashMap<>();
    final Set<String> approvals = ConcurrentHashMap.newKeySet();
    final Set<String> rejections = ConcurrentHashMap.newKeySet();
    final Set<String> reversals = ConcurrentHashMap.newKeySet();
    final Map<String, Claim> unansweredClaims = new ConcurrentHashMap<>();
    final Map<String, Redemption> redemptions = new ConcurrentHashMap<>();
    final Map<String, Redemption> unansweredRedemptions = new ConcurrentHashMap<>();

    void member(Sessions.SignedIn signedIn) {
      members.add(new Member(signedIn, members.size() % WORKERS));
    }

    List<String> claimsOf(int worker, Known state) {
      return claims.entrySet().stream()
          .filter(claim -> claim.getValue().member().worker == worker)
          .filter(claim -> known.get(claim.getKey()) == state)
          .map(Map.Entry::getKey)
          .sorted()
          .toList();
    }
  }

  // ---------------------------------------------------------------- the load

  /** Four staff-and-resident workers, each on its own members, until the kill. */
  private final class Load {
    final AtomicBoolean killed = new AtomicBoolean();
    final AtomicInteger requests = new AtomicInteger();
    final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    final long[] seeds = new long[WORKERS];
    final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    final List<java.util.concurrent.Future<?>> running = new ArrayList<>();

    Load(Random random) {
      for (int i = 0; i < WORKERS; i++) {
        seeds[i] = random.nextLong();
      }
    }

    void start() {
      for (int worker = 0; worker < WORKERS; worker++) {
        int mine = worker;
        running.add(workers.submit(() -> work(mine, new Random(seeds[mine]))));
      }
    }

    void join() {
      for (java.util.concurrent.Future<?> worker : running) {
        try {
          worker.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException failed) {
          if (failed.getCause() instanceof AssertionError violated) {
            throw violated;
          }
          throw new IllegalStateException(failed.getCause());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      workers.shutdownNow();
    }

    String summary() {
      return answered.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .map(entry -> entry.getKey() + " " + entry.getValue())
          .collect(Collectors.joining(", "));
    }

    private void work(int worker, Random random) {
      while (!killed.get()) {
        try {
          requests.incrementAndGet();
          String done = step(worker, random);
          answered.computeIfAbsent(done, name -> new AtomicInteger()).incrementAndGet();
        } catch (Exception unanswered) { // the kill's connection reset comes as an IOException
          if (!killed.get()) {
            throw new IllegalStateException("a request failed before the kill", unanswered);
          }
        }
      }
    }

    /** One request; answers what it did. */
    private String step(int worker, Random random) {
      int dice = random.nextInt(100);
      if (dice < 3) {
        return signUp();
      }
      if (dice < 40) {
        return claim(worker, random);
      }
      if (dice < 50) {
        return retryClaim(worker, random);
      }
      if (dice < 65) {
        return approve(worker, random);
      }
      if (dice < 80) {
        return batchApprove(worker, random);
      }
      if (dice < 88) {
        return reject(worker, random);
      }
      if (dice < 94) {
        return redeem(worker, random);
      }
      return reverse(worker, random);
    }
  }

  private String signUp() {
    acknowledged.member(signIn(resident(Sessions.freshPhone())));
    return "sign-ins";
  }

  private Member memberOf(int worker, Random random) {
    List<Member> mine =
        acknowledged.members.stream().filter(member -> member.worker == worker).toList();
    return mine.get(random.nextInt(mine.size()));
  }

  private String claim(int worker, Random random) {
    Member member = memberOf(worker, random);
    Claim claim =
        new Claim(
            member, "soak-" + Long.toHexString(random.nextLong()), member.nextClaim(activityId));
    acknowledged.unansweredClaims.put(claim.key(), claim);
    String submissionId = submit(claim);
    acknowledged.claims.put(submissionId, claim);
    acknowledged.known.put(submissionId, Known.PENDING);
    acknowledged.unansweredClaims.remove(claim.key());
    return "claims";
  }

  private String submit(Claim claim) {
    Reply reply =
        client.sendRaw(
            "createSubmission",
            HttpMethod.POST,
            "/v1/submissions",
            Buffer.buffer(Json.encode(claim.body())),
            Map.of(
                "Authorization",
                "Bearer " + claim.member().token,
                "Content-Type",
                "application/json",
                "Idempotency-Key",
                claim.key()));
    assertThat(reply.status()).as("claim %s: %s", claim.key(), reply.body()).isEqualTo(201);
    return reply.json().getString("submissionId");
  }

  private String retryClaim(int worker, Random random) {
    List<String> mine = acknowledged.claimsOf(worker, Known.PENDING);
    if (mine.isEmpty()) {
      return "nothing to retry";
    }
    String submissionId = mine.get(random.nextInt(mine.size()));
    assertThat(submit(acknowledged.claims.get(submissionId)))
        .as("the same key and body answer the first submission")
        .isEqualTo(submissionId);
    return "claim retries";
  }

  private String approve(int worker, Random random) {
    List<String> pending = acknowledged.claimsOf(worker, Known.PENDING);
    if (pending.isEmpty()) {
      return "nothing to approve";
    }
    String submissionId = pending.get(random.nextInt(pending.size()));
    acknowledged.known.put(submissionId, Known.UNCERTAIN);
    Reply reply =
        client.post(
            "approveSubmission",
            "/v1/submissions/" + submissionId + "/approve",
            new JsonObject(),
            staff.accessToken());
    assertThat(reply.status()).as("approve: %s", reply.body()).isEqualTo(200);
    approved(submissionId);
    return "approvals";
  }

  private void approved(String submissionId) {
    acknowledged.approvals.add(submissionId);
    acknowledged.known.put(submissionId, Known.APPROVED);
  }

  private String batchApprove(int worker, Random random) {
    List<String> pending = new ArrayList<>(acknowledged.claimsOf(worker, Known.PENDING));
    if (pending.isEmpty()) {
      return "nothing to approve";
    }
    java.util.Collections.shuffle(pending, random);
    List<String> batch = pending.subList(0, Math.min(pending.size(), 1 + random.nextInt(20)));
    batch.forEach(id -> acknowledged.known.put(id, Known.UNCERTAIN));
    Reply reply =
        client.post(
            "batchApproveSubmissions",
            "/v1/submissions/batch-approve",
            new JsonObject().put("submissionIds", new JsonArray(batch)),
            staff.accessToken());
    assertThat(reply.status()).as("batch-approve: %s", reply.body()).isEqualTo(200);
    for (Object item : reply.json().getJsonArray("items")) {
      JsonObject outcome = (JsonObject) item;
      assertThat(outcome.getString("outcome")).isIn("APPROVED", "ALREADY_APPROVED");
      approved(outcome.getString("submissionId"));
    }
    return "batch approvals";
  }

  private String reject(int worker, Random random) {
    List<String> pending = acknowledged.claimsOf(worker, Known.PENDING);
    if (pending.isEmpty()) {
      return "nothing to reject";
    }
    String submissionId = pending.get(random.nextInt(pending.size()));
    acknowledged.known.put(submissionId, Known.UNCERTAIN);
    Reply reply =
        client.post(
            "rejectSubmission",
            "/v1/submissions/" + submissionId + "/reject",
            new JsonObject().put("reason", "Not on the list"),
            staff.accessToken());
    assertThat(reply.status()).as("reject: %s", reply.body()).isEqualTo(200);
    acknowledged.rejections.add(submissionId);
    acknowledged.known.put(submissionId, Known.REJECTED);
    return "rejections";
  }

  /**
   * A one-point reward without limits, with an Idempotency-Key: accepted (201 PENDING); a member
   * short of the point finds it FAILED once the chain refuses it.
   */
  private String redeem(int worker, Random random) {
    Redemption redemption =
        new Redemption(memberOf(worker, random), "soak-r-" + Long.toHexString(random.nextLong()));
    acknowledged.unansweredRedemptions.put(redemption.key(), redemption);
    String redemptionId = redeemWith(redemption);
    acknowledged.unansweredRedemptions.remove(redemption.key());
    acknowledged.redemptions.put(redemptionId, redemption);
    return "redemptions";
  }

  /** The redemption the key's request made, as its 201 answer names it; its status aside. */
  private String redeemWith(Redemption redemption) {
    return redeemReply(redemption).json().getString("redemptionId");
  }

  private Reply redeemReply(Redemption redemption) {
    Reply reply =
        client.send(
            "redeemReward",
            HttpMethod.POST,
            "/v1/rewards/" + rewardId + "/redemptions",
            null,
            redemption.member().token,
            Map.of("Idempotency-Key", redemption.key()));
    assertThat(reply.status()).as("redeem: %s", reply.body()).isEqualTo(201);
    return reply;
  }

  /** Only a RECORDED award can be reversed; an approval not yet on the chain answers 409. */
  private String reverse(int worker, Random random) {
    List<String> approved = acknowledged.claimsOf(worker, Known.APPROVED);
    if (approved.isEmpty()) {
      return "nothing to reverse";
    }
    String submissionId = approved.get(random.nextInt(approved.size()));
    acknowledged.known.put(submissionId, Known.UNCERTAIN);
    Reply reply =
        client.post(
            "reverseSubmission",
            "/v1/submissions/" + submissionId + "/reverse",
            new JsonObject().put("reason", "Counted twice"),
            staff.accessToken());
    if (reply.status() == 409) {
      assertThat(reply.code()).isEqualTo("INVALID_STATE");
      acknowledged.known.put(submissionId, Known.APPROVED);
      return "reversals refused (not yet recorded)";
    }
    assertThat(reply.status()).as("reverse: %s", reply.body()).isEqualTo(200);
    acknowledged.reversals.add(submissionId);
    acknowledged.known.put(submissionId, Known.REVERSAL_REQUESTED);
    return "reversals";
  }

  // ---------------------------------------------------------------- the checks after a restart

  private void check(String label) {
    checkSignIns(label);
    checkClaims(label);
    checkRedemptionKeys(label);
    awaitSettled();
    checkApprovals(label);
    Map<String, Integer> onChain = entriesOnChain();
    assertThat(onChain)
        .as("entry ids on the chain more than once")
        .allSatisfy((entryId, times) -> assertThat(times).as(entryId).isEqualTo(1));
    System.out.printf("%s: no entry id on the chain twice (%d entries)%n", label, onChain.size());
    checkRedemptions(label, onChain);
    checkBalances(label);
    checkReplay(label);
  }

  /** Every acknowledged sign-in is the same member after the restart (and gets a fresh token). */
  private void checkSignIns(String label) {
    admin = again(admin, "ADMIN");
    staff = again(staff, "STAFF");
    for (Member member : acknowledged.members) {
      Sessions.SignedIn signedIn = signIn(resident(member.phone));
      assertThat(signedIn.memberId()).as("member of %s", member.phone).isEqualTo(member.memberId);
      member.token = signedIn.accessToken();
    }
    System.out.printf(
        "%s: %d acknowledged members signed in again as themselves%n",
        label, acknowledged.members.size());
  }

  private Sessions.SignedIn again(Sessions.SignedIn signedIn, String role) {
    Sessions.SignedIn again =
        signIn(
            new JsonObject()
                .put("phone", signedIn.phone())
                .put("roles", List.of(role))
                .put("communityId", COMMUNITY));
    assertThat(again.memberId()).isEqualTo(signedIn.memberId());
    return again;
  }

  /**
   * Every acknowledged claim exists and its key answers it again; unanswered claims are retried
   * with their keys (created now, or answered as created before the kill).
   */
  private void checkClaims(String label) {
    acknowledged.claims.forEach(
        (submissionId, claim) -> {
          Reply found =
              client.get("getSubmission", "/v1/submissions/" + submissionId, claim.member().token);
          assertThat(found.status()).as("acknowledged claim %s", submissionId).isEqualTo(200);
          assertThat(submit(claim)).as("retry of %s", claim.key()).isEqualTo(submissionId);
          if (acknowledged.known.get(submissionId) == Known.UNCERTAIN) {
            acknowledged.known.put(submissionId, known(found.json().getString("status")));
          }
        });
    int retried = acknowledged.unansweredClaims.size();
    for (Claim claim : List.copyOf(acknowledged.unansweredClaims.values())) {
      String submissionId = submit(claim);
      acknowledged.claims.put(submissionId, claim);
      acknowledged.known.put(
          submissionId,
          known(
              client
                  .get("getSubmission", "/v1/submissions/" + submissionId, claim.member().token)
                  .json()
                  .getString("status")));
      acknowledged.unansweredClaims.remove(claim.key());
    }
    System.out.printf(
        "%s: %d acknowledged claims exist and their keys answer them again; %d unanswered claims retried%n",
        label, acknowledged.claims.size() - retried, retried);
  }

  /**
   * Every acknowledged redemption exists and its key answers it again; unanswered ones are retried
   * with their keys (made now, or the one made before the kill: queued or given up by the retry
   * when the kill left it reserving). Prints the statuses the retries answered.
   */
  private void checkRedemptionKeys(String label) {
    acknowledged.redemptions.forEach(
        (redemptionId, redemption) -> {
          Reply found =
              client.get(
                  "getRedemption", "/v1/redemptions/" + redemptionId, redemption.member().token);
          assertThat(found.status()).as("acknowledged redemption %s", redemptionId).isEqualTo(200);
          assertThat(redeemWith(redemption))
              .as("retry of %s", redemption.key())
              .isEqualTo(redemptionId);
        });
    Map<String, Integer> retried = new TreeMap<>();
    for (Redemption redemption : List.copyOf(acknowledged.unansweredRedemptions.values())) {
      JsonObject answer = redeemReply(redemption).json();
      acknowledged.redemptions.put(answer.getString("redemptionId"), redemption);
      acknowledged.unansweredRedemptions.remove(redemption.key());
      retried.merge(answer.getString("status"), 1, Integer::sum);
    }
    System.out.printf(
        "%s: %d acknowledged redemptions exist and their keys answer them again; unanswered ones retried: %s%n",
        label, acknowledged.redemptions.size(), retried);
  }

  /**
   * Once the relay is idle every acknowledged redemption is REDEEMED with its entry on the chain,
   * or FAILED with a reason and nothing on the chain.
   */
  private void checkRedemptions(String label, Map<String, Integer> onChain) {
    acknowledged.redemptions.forEach(
        (redemptionId, redemption) -> {
          JsonObject found =
              client
                  .get(
                      "getRedemption", "/v1/redemptions/" + redemptionId, redemption.member().token)
                  .json();
          String status = found.getString("status");
          if ("FAILED".equals(status)) {
            assertThat(found.getString("reason")).as("reason of %s", redemptionId).isNotBlank();
            assertThat(onChain)
                .as("failed %s on the chain", redemptionId)
                .doesNotContainKey(redemptionId);
          } else {
            assertThat(status).as("redemption %s", redemptionId).isEqualTo("REDEEMED");
            assertThat(onChain.get(redemptionId)).as("%s on the chain", redemptionId).isEqualTo(1);
          }
        });
    System.out.printf(
        "%s: %d acknowledged redemptions REDEEMED on the chain once or FAILED with a reason%n",
        label, acknowledged.redemptions.size());
  }

  /** A status read back after an unanswered request: what it means for the next requests. */
  private static Known known(String status) {
    return switch (status) {
      case "PENDING" -> Known.PENDING;
      case "REJECTED" -> Known.REJECTED;
      case "REVERSED" -> Known.REVERSAL_REQUESTED;
      // Approved but not acknowledged: the next requests may approve (idempotent) or reverse it.
      default -> Known.APPROVED;
    };
  }

  /** The relay has nothing queued or in flight and the projectors have reached the chain's end. */
  private void awaitSettled() {
    until(
        "the relay and the projectors idle",
        SETTLED_WITHIN,
        Duration.ofMillis(250),
        () -> {
          JsonObject status =
              client.get("getLedgerStatus", "/v1/ledger/status", admin.accessToken()).json();
          JsonObject relay = status.getJsonObject("relay");
          return relay.getLong("queued") == 0
              && relay.getLong("submitted") == 0
              && relay.getLong("inFlightTransactions") == 0
              && status.getJsonObject("projection").getLong("lagBlocks") == 0
              && checkpoint(store, "standings").equals(checkpoint(store, "points"))
              && checkpoint(store, "redemptions").equals(checkpoint(store, "points"));
        });
  }

  private static Optional<List<Long>> checkpoint(MongoProbe mongo, String projector) {
    Document found = mongo.findOne("ledger_checkpoints", Filters.eq("_id", projector));
    return Optional.ofNullable(found)
        .map(
            document ->
                List.of(
                    document.get("blockNumber", Number.class).longValue(),
                    document.get("txOrdinal", Number.class).longValue()));
  }

  /**
   * Acknowledged approvals are RECORDED (or REVERSED) with their entry on the chain, or FAILED with
   * a reason; acknowledged rejections are REJECTED; acknowledged reversals REVERSED, on the chain.
   */
  private void checkApprovals(String label) {
    Map<String, Document> submissions =
        store.find("submissions", Filters.in("_id", acknowledged.claims.keySet())).stream()
            .collect(Collectors.toMap(document -> document.getString("_id"), Function.identity()));
    int failed = 0;
    for (String submissionId : acknowledged.approvals) {
      Document submission = submissions.get(submissionId);
      String status = submission.getString("status");
      assertThat(status)
          .as("acknowledged approval %s", submissionId)
          .isIn("RECORDED", "REVERSED", "FAILED");
      if (status.equals("FAILED")) {
        failed++;
        assertThat(submission.get("ledger", Document.class).getString("reason"))
            .as("why %s failed", submissionId)
            .isNotBlank();
        continue;
      }
      JsonObject entry =
          onChain(() -> chain.entry(submissionId))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no chain entry for the acknowledged approval " + submissionId));
      assertThat(entry.getString("memberId")).isEqualTo(submission.getString("memberId"));
      assertThat(entry.getLong("points")).isEqualTo(POINTS);
    }
    for (String submissionId : acknowledged.rejections) {
      assertThat(submissions.get(submissionId).getString("status"))
          .as("acknowledged rejection %s", submissionId)
          .isEqualTo("REJECTED");
    }
    for (String submissionId : acknowledged.reversals) {
      assertThat(submissions.get(submissionId).getString("status"))
          .as("acknowledged reversal %s", submissionId)
          .isEqualTo("REVERSED");
      assertThat(onChain(() -> chain.entry("rv_" + submissionId)).orElseThrow().getLong("points"))
          .isEqualTo(-POINTS);
    }
    System.out.printf(
        "%s: %d acknowledged approvals recorded on the chain (%d FAILED with a reason), %d rejections kept, %d reversals on the chain%n",
        label,
        acknowledged.approvals.size() - failed,
        failed,
        acknowledged.rejections.size(),
        acknowledged.reversals.size());
  }

  /**
   * A read of the chain by the test's own client, asked again when it missed its deadline: the
   * devnet shares two cores with the restarted API and the build. Anything else fails at once.
   */
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

  /** Every chaincode event from block 0, entry ids counted. */
  private Map<String, Integer> entriesOnChain() {
    long last = checkpoint(store, "points").map(position -> position.get(0)).orElse(-1L);
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

  /** Each member's balance and entries through the API equal its account and entries on chain. */
  private void checkBalances(String label) {
    int entries = 0;
    for (Member member : acknowledged.members) {
      JsonObject points = client.get("getMyPoints", "/v1/me/points", member.token).json();
      Optional<JsonObject> account = onChain(() -> chain.account(member.memberId));
      List<JsonObject> mine = entries(member);
      entries += mine.size();
      assertThat(points.getLong("balance"))
          .as("balance of %s", member.memberId)
          .isEqualTo(account.map(a -> a.getLong("balance")).orElse(0L));
      assertThat(points.getLong("earned"))
          .isEqualTo(account.map(a -> a.getLong("earned")).orElse(0L));
      assertThat(points.getLong("reversed"))
          .isEqualTo(account.map(a -> a.getLong("reversed")).orElse(0L));
      assertThat((long) mine.size())
          .as("entries of %s", member.memberId)
          .isEqualTo(account.map(a -> a.getLong("entryCount")).orElse(0L));
      for (JsonObject entry : mine) {
        JsonObject held = onChain(() -> chain.entry(entry.getString("entryId"))).orElseThrow();
        assertThat(held.getString("memberId")).isEqualTo(member.memberId);
        assertThat(held.getLong("points")).isEqualTo(entry.getLong("points"));
        assertThat(held.getString("txId")).isEqualTo(entry.getString("txId"));
      }
    }
    System.out.printf(
        "%s: %d members' balances and %d entries equal the chain's%n",
        label, acknowledged.members.size(), entries);
  }

  private List<JsonObject> entries(Member member) {
    List<JsonObject> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          client
              .get(
                  "listMyPointEntries",
                  "/v1/me/points/entries?limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                  member.token)
              .json();
      page.getJsonArray("items").forEach(item -> all.add((JsonObject) item));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return all;
  }

  /**
   * A second API in this JVM, on an empty store and the same chain, projects everything from block
   * 0: its balances, entries, standings and daily points equal the killed-and-restarted API's.
   */
  private void checkReplay(String label) {
    MongoServer empty = new MongoServer(new MemoryBackend());
    empty.bind(new InetSocketAddress("127.0.0.1", 0));
    ApiConfig config = replicaConfig(empty);
    try (TestApi replica = TestApi.startWith(config, empty, TestApi.temporaryDirectory());
        MongoProbe replayed =
            new MongoProbe(
                "mongodb://127.0.0.1:" + empty.getLocalAddress().getPort(), "civic_points")) {
      until(
          "the replay from block 0",
          Duration.ofMinutes(2),
          Duration.ofMillis(250),
          () ->
              checkpoint(replayed, "points").equals(checkpoint(store, "points"))
                  && checkpoint(replayed, "standings").equals(checkpoint(store, "standings")));
      List<String> sizes = new ArrayList<>();
      for (String collection :
          List.of("balances", "ledger_entries", "standings", "standings_daily")) {
        List<Document> kept = all(store, collection);
        assertThat(all(replayed, collection))
            .as("%s replayed from block 0", collection)
            .containsExactlyElementsOf(kept);
        sizes.add(collection + " " + kept.size());
      }
      System.out.printf(
          "%s: a replay from block 0 equals the projections (%s)%n",
          label, String.join(", ", sizes));
    }
  }

  private ApiConfig replicaConfig(MongoServer empty) {
    Map<String, String> environment = onTheDevnet();
    environment.put("MONGO_URI", "mongodb://127.0.0.1:" + empty.getLocalAddress().getPort());
    return ApiConfig.fromEnv(environment);
  }

  private static List<Document> all(MongoProbe mongo, String collection) {
    return MongoProbe.await(mongo.collection(collection).find().sort(Sorts.ascending("_id")));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // the kill's random moment, not a wait for a result
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }
}
