package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Random sequences of awards (in batches, earned across three years), redemptions, reversals,
 * refunds, expiries and exact replays across a few members: whatever happens, after every
 * transaction balances add up ({@code balance == earned − spent − reversed − expired + refunded},
 * the lots sum to the balance), caps hold, and replays change nothing.
 */
class LedgerConsistencyPropertiesTest {
  private static final List<String> MEMBERS = List.of("m0", "m1", "m2", "m3");

  /** One rule per category, so every counter has exactly one cap to respect. */
  private static final Map<String, Long> DAILY_CAP =
      Map.of("VOLUNTEER", 30L, "CIVIC", 0L, "STUDY", 0L);

  private static final Map<String, Long> YEARLY_CAP =
      Map.of("VOLUNTEER", 100L, "CIVIC", 40L, "STUDY", 0L);

  sealed interface Step permits AwardBatch, Redemption, Reversal, Refund, Expiry, Replay {}

  record AwardItem(int entry, int member, String ruleId, int units, int daysBack) {}

  record AwardBatch(List<AwardItem> items) implements Step {}

  record Redemption(int entry, int member, int points) implements Step {}

  record Reversal(int entry, int target) implements Step {}

  record Refund(int entry, int redemption) implements Step {}

  record Expiry(int member, int year) implements Step {}

  record Replay(int index) implements Step {}

  /** A request that was sent, and whether it may be replayed as a DUPLICATE. */
  record Sent(BiFunction<PointsContract, Context, String> call, boolean succeeded) {}

  @Property(tries = 150)
  void balances_add_up_caps_hold_and_replays_change_nothing(
      @ForAll("scripts") final List<Step> script) {
    final LedgerStubFixture fx = new LedgerStubFixture();
    fx.putRule(LedgerStubFixture.rule("r-capped", 1, 10, 30, 100).toString());
    fx.putRule(LedgerStubFixture.rule("r-year", 1, 5, 0, 40).put("category", "CIVIC").toString());
    fx.putRule(LedgerStubFixture.rule("r-free", 1, 7, 0, 0).put("category", "STUDY").toString());
    final List<Sent> sent = new ArrayList<>();
    final Map<String, Map<String, Long>> projectedLots = new HashMap<>();

    for (final Step step : script) {
      if (step instanceof Replay replay) {
        replay(fx, sent, replay);
      } else {
        final BiFunction<PointsContract, Context, String> call = call(step);
        sent.add(new Sent(call, submit(fx, call)));
      }
      project(fx.lastTx(), projectedLots);
      // After every transaction, not only at the end: no step may leave the books unbalanced.
      assertConsistent(fx.ledger);
      assertProjectedLots(fx.ledger, projectedLots);
    }

    final List<JSONObject> entries = values(fx.ledger, WorldState.ENTRY);
    Statistics.label("entry kinds")
        .collect(entries.stream().map(e -> e.getString("kind")).distinct().sorted().toList());
    Statistics.label("cap cut an award")
        .collect(
            entries.stream()
                .anyMatch(e -> !e.isNull("reason") && e.getString("kind").equals("AWARD")));
    Statistics.label("refund into an expired lot")
        .collect(entries.stream().anyMatch(e -> e.getString("entryId").endsWith("#expired")));
    Statistics.label("negative balance")
        .collect(
            values(fx.ledger, WorldState.ACCOUNT).stream().anyMatch(a -> a.getLong("balance") < 0));
  }

  /** What a read model does with the events: sets each lot an entry names to its lotsAfter. */
  private static void project(
      final InMemoryStub tx, final Map<String, Map<String, Long>> projectedLots) {
    for (final InMemoryStub.Event event : tx.events()) {
      final JSONArray moved = new JSONObject(event.payload()).optJSONArray("entries");
      for (int i = 0; moved != null && i < moved.length(); i++) {
        final JSONObject entry = moved.getJSONObject(i);
        final JSONObject after = entry.getJSONObject("lotsAfter");
        final Map<String, Long> lots =
            projectedLots.computeIfAbsent(entry.getString("memberId"), m -> new TreeMap<>());
        after.keySet().forEach(year -> lots.put(year, after.getLong(year)));
      }
    }
  }

  /** The events alone tell every account's lots: set from lotsAfter, they equal the chain's. */
  private static void assertProjectedLots(
      final InMemoryLedger ledger, final Map<String, Map<String, Long>> projectedLots) {
    for (final JSONObject account : values(ledger, WorldState.ACCOUNT)) {
      final JSONObject live = account.getJSONObject("lots").getJSONObject("live");
      final Map<String, Long> chain = new TreeMap<>();
      live.keySet().forEach(year -> chain.put(year, live.getLong(year)));
      final Map<String, Long> projected = new TreeMap<>();
      projectedLots
          .getOrDefault(account.getString("memberId"), Map.of())
          .forEach(
              (year, left) -> {
                if (left != 0) {
                  projected.put(year, left);
                }
              });
      assertThat(projected).as(account.getString("memberId")).isEqualTo(chain);
    }
  }

  private static void replay(
      final LedgerStubFixture fx, final List<Sent> sent, final Replay replay) {
    if (sent.isEmpty()) {
      return;
    }
    final Sent original = sent.get(replay.index() % sent.size());
    if (!original.succeeded()) {
      return;
    }
    final Map<String, String> before = fx.ledger.snapshot();
    final String result = fx.submit(TestIdentities.LEDGER_WRITER, original.call());
    assertThat(fx.ledger.snapshot()).isEqualTo(before);
    assertThat(fx.lastTx().events()).isEmpty();
    if (result.startsWith("[")) {
      final JSONArray items = new JSONArray(result);
      for (int i = 0; i < items.length(); i++) {
        assertThat(items.getJSONObject(i).getString("status"))
            .isIn("DUPLICATE", "CONFLICT", "REJECTED");
      }
    } else {
      assertThat(new JSONObject(result).getString("status")).isEqualTo("DUPLICATE");
    }
  }

  /** True when the request went through (a batch always does; its items may be rejected). */
  private static boolean submit(
      final LedgerStubFixture fx, final BiFunction<PointsContract, Context, String> call) {
    try {
      fx.submit(TestIdentities.LEDGER_WRITER, call);
      assertThat(fx.lastTx().rangeReads()).as("range reads in a write transaction").isZero();
      assertThat(fx.lastTx().events()).hasSizeLessThanOrEqualTo(1);
      assertThat(fx.lastTx().events().isEmpty()).isEqualTo(fx.lastTx().writes().isEmpty());
      return true;
    } catch (ChaincodeException e) {
      assertThat(e.getMessage())
          .matches(
              "(INSUFFICIENT_POINTS|ALREADY_REVERSED|ALREADY_REFUNDED|ALREADY_EXPIRED|CONFLICT|NOT_FOUND|INVALID_ARGUMENT): .+");
      assertThat(fx.lastTx().writes()).isEmpty();
      return false;
    }
  }

  private static BiFunction<PointsContract, Context, String> call(final Step step) {
    if (step instanceof AwardBatch batch) {
      final JSONArray items = new JSONArray();
      batch
          .items()
          .forEach(
              item ->
                  items.put(
                      LedgerStubFixture.award(
                              "a" + item.entry(),
                              MEMBERS.get(item.member()),
                              item.ruleId(),
                              item.units())
                          .put(
                              "occurredOn",
                              LocalDate.parse(LedgerStubFixture.TODAY)
                                  .minusDays(item.daysBack())
                                  .toString())));
      final String json = items.toString();
      return (c, ctx) -> c.RecordAwards(ctx, json);
    }
    if (step instanceof Redemption r) {
      final String json =
          LedgerStubFixture.redemption("r" + r.entry(), MEMBERS.get(r.member()), r.points())
              .toString();
      return (c, ctx) -> c.Redeem(ctx, json);
    }
    if (step instanceof Reversal r) {
      final String json = LedgerStubFixture.reversal("v" + r.entry(), "a" + r.target()).toString();
      return (c, ctx) -> c.Reverse(ctx, json);
    }
    if (step instanceof Refund r) {
      final String json =
          LedgerStubFixture.refund("f" + r.entry(), "r" + r.redemption()).toString();
      return (c, ctx) -> c.RefundRedemption(ctx, json);
    }
    if (step instanceof Expiry e) {
      final String json = LedgerStubFixture.expiry(MEMBERS.get(e.member()), e.year()).toString();
      return (c, ctx) -> c.Expire(ctx, json);
    }
    throw new IllegalArgumentException("a replay has no call of its own");
  }

  private static void assertConsistent(final InMemoryLedger ledger) {
    final List<JSONObject> entries = values(ledger, WorldState.ENTRY);
    final Set<String> reversedTargets =
        entries.stream()
            .filter(e -> e.getString("kind").equals("REVERSAL"))
            .map(e -> e.getString("targetEntryId"))
            .collect(Collectors.toSet());
    final List<String> refunded =
        entries.stream()
            .filter(e -> e.getString("kind").equals("REFUND"))
            .map(e -> e.getString("targetEntryId"))
            .toList();
    assertThat(refunded).as("each redemption refunded at most once").doesNotHaveDuplicates();
    for (final JSONObject account : values(ledger, WorldState.ACCOUNT)) {
      final String member = account.getString("memberId");
      final List<JSONObject> own =
          entries.stream().filter(e -> e.getString("memberId").equals(member)).toList();
      assertThat(account.getLong("balance")).isEqualTo(sum(own, null));
      assertThat(account.getLong("earned")).isEqualTo(sum(own, "AWARD"));
      assertThat(account.getLong("spent")).isEqualTo(-sum(own, "REDEMPTION"));
      assertThat(account.getLong("reversed")).isEqualTo(-sum(own, "REVERSAL"));
      assertThat(account.getLong("refunded")).isEqualTo(sum(own, "REFUND"));
      assertThat(account.getLong("expired")).isEqualTo(-sum(own, "EXPIRY"));
      assertThat(account.getLong("balance"))
          .isEqualTo(
              account.getLong("earned")
                  - account.getLong("spent")
                  - account.getLong("reversed")
                  - account.getLong("expired")
                  + account.getLong("refunded"));
      assertLots(account, own);
      assertThat(account.getLong("entryCount")).isEqualTo(own.size());
    }
    assertCounters(ledger, WorldState.CAP_DAY, DAILY_CAP, entries, reversedTargets, 10);
    assertCounters(ledger, WorldState.CAP_YEAR, YEARLY_CAP, entries, reversedTargets, 4);
  }

  /**
   * The lots add up to the balance, no expired year keeps a lot, each lot expired at most once, and
   * no redemption took more from a lot than it spent.
   */
  private static void assertLots(final JSONObject account, final List<JSONObject> own) {
    final JSONObject lots = account.getJSONObject("lots");
    final JSONObject live = lots.getJSONObject("live");
    assertThat(live.keySet().stream().mapToLong(live::getLong).sum())
        .isEqualTo(account.getLong("balance"));
    final List<Object> expiredYears = lots.getJSONArray("expired").toList();
    expiredYears.forEach(year -> assertThat(live.has(year.toString())).isFalse());
    final List<String> expiries =
        own.stream()
            .filter(e -> e.getString("kind").equals("EXPIRY") && e.isNull("targetEntryId"))
            .flatMap(e -> e.getJSONObject("lots").keySet().stream())
            .toList();
    assertThat(expiries).doesNotHaveDuplicates().hasSameSizeAs(expiredYears);
    own.stream()
        .filter(e -> e.getString("kind").equals("REDEMPTION"))
        .forEach(
            e -> {
              final JSONObject taken = e.getJSONObject("lots");
              assertThat(taken.keySet().stream().mapToLong(taken::getLong).sum())
                  .isEqualTo(-e.getLong("points"));
            });
  }

  /**
   * Every counter respects its cap and equals the points granted (and not reversed) in its period.
   */
  private static void assertCounters(
      final InMemoryLedger ledger,
      final String type,
      final Map<String, Long> caps,
      final List<JSONObject> entries,
      final Set<String> reversedTargets,
      final int periodLength) {
    final Map<String, Long> expected = new HashMap<>();
    entries.stream()
        .filter(
            e ->
                e.getString("kind").equals("AWARD")
                    && !reversedTargets.contains(e.getString("entryId")))
        .filter(e -> e.getLong("points") > 0)
        .forEach(
            e ->
                expected.merge(
                    String.join(
                        "/",
                        e.getString("memberId"),
                        e.getString("category"),
                        e.getString("occurredOn").substring(0, periodLength)),
                    e.getLong("points"),
                    Long::sum));
    final Map<String, Long> actual = new HashMap<>();
    ledger
        .entriesOfType(new CompositeKey(type).toString())
        .forEach(
            (key, value) -> {
              final List<String> attributes = CompositeKey.parseCompositeKey(key).getAttributes();
              final long granted =
                  new JSONObject(new String(value, StandardCharsets.UTF_8)).getLong("granted");
              final long cap = caps.get(attributes.get(1));
              if (cap > 0) {
                assertThat(granted).as("counter %s", attributes).isLessThanOrEqualTo(cap);
              }
              assertThat(granted).isNotNegative();
              if (granted > 0) {
                actual.put(String.join("/", attributes), granted);
              }
            });
    assertThat(actual).isEqualTo(expected);
  }

  private static long sum(final List<JSONObject> entries, final String kind) {
    return entries.stream()
        .filter(e -> kind == null || e.getString("kind").equals(kind))
        .mapToLong(e -> e.getLong("points"))
        .sum();
  }

  private static List<JSONObject> values(final InMemoryLedger ledger, final String type) {
    return ledger.entriesOfType(new CompositeKey(type).toString()).values().stream()
        .map(v -> new JSONObject(new String(v, StandardCharsets.UTF_8)))
        .toList();
  }

  @Provide
  Arbitrary<List<Step>> scripts() {
    // Small id pools per kind, so that retries, conflicts and reversals of real awards are common.
    final Arbitrary<Integer> awardId = Arbitraries.integers().between(0, 19);
    final Arbitrary<Integer> otherId = Arbitraries.integers().between(0, 7);
    final Arbitrary<Integer> member = Arbitraries.integers().between(0, MEMBERS.size() - 1);
    final Arbitrary<AwardItem> item =
        Combinators.combine(
                awardId,
                member,
                Arbitraries.of("r-capped", "r-year", "r-free", "r-none"),
                Arbitraries.integers().between(1, 4),
                Arbitraries.frequency(
                    Tuple.of(3, 0), Tuple.of(1, 75), Tuple.of(1, 400), Tuple.of(1, 700)))
            .as(AwardItem::new);
    final Arbitrary<Step> batch = item.list().ofMinSize(1).ofMaxSize(4).map(AwardBatch::new);
    final Arbitrary<Step> redemption =
        Combinators.combine(otherId, member, Arbitraries.integers().between(1, 40))
            .as(Redemption::new);
    final Arbitrary<Step> reversal = Combinators.combine(otherId, awardId).as(Reversal::new);
    final Arbitrary<Step> refund = Combinators.combine(otherId, otherId).as(Refund::new);
    final Arbitrary<Step> expiry =
        Combinators.combine(member, Arbitraries.of(2024, 2025, 2026)).as(Expiry::new);
    final Arbitrary<Step> replay = Arbitraries.integers().between(0, 1000).map(Replay::new);
    return Arbitraries.frequencyOf(
            Tuple.of(4, batch),
            Tuple.of(3, redemption),
            Tuple.of(3, reversal),
            Tuple.of(3, refund),
            Tuple.of(2, expiry),
            Tuple.of(2, replay))
        .list()
        .ofMinSize(5)
        .ofMaxSize(50);
  }
}
