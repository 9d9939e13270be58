package org.civicpoints.api.ledger;

import com.mongodb.client.model.Filters;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.Sessions;

/**
 * Not a test: how long a reconciliation of {@code accounts} members takes through the real API,
 * gateway client, devnet and store. Each member gets one award on the chain (RecordAwards batches
 * of 500 through a gateway client of its own), the API's projectors build balances, entries and
 * standings (a community outside the org tree: its board and the city's, in five periods each),
 * then one run is asked for over HTTP and followed until DONE. Args: [accounts (50000)]. The store
 * is mongo-java-server's memory backend, as in the tests.
 */
public final class ReconciliationBenchmark {

  private static final String COMMUNITY = "c-bench";
  private static final int BATCH = 500;
  private static final int BOARDS_PER_MEMBER = 10;
  private static final Duration SEEDING = Duration.ofMinutes(30);

  private ReconciliationBenchmark() {}

  public static void main(String[] args) {
    int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    try (LedgerRig rig = LedgerRig.start(LedgerRig.Store.MEMORY)) {
      String rule = rig.seedRule("VOLUNTEER", 1, 1_000_000, 10_000_000, true);
      Eventually.until(
          "the rule on the chain",
          Duration.ofMinutes(2),
          () ->
              "DONE"
                  .equals(
                      rig.mongo
                          .findOne("point_rules", Filters.eq("_id", rule))
                          .get("ledger", Document.class)
                          .getString("state")));
      long seeding = System.nanoTime();
      seed(rig.chainWriter(), rule, accounts);
      Eventually.until(
          "balances and standings projected",
          SEEDING,
          () ->
              rig.mongo.count("balances", Filters.empty()) >= accounts
                  && rig.mongo.count("standings", Filters.empty())
                      >= (long) accounts * BOARDS_PER_MEMBER);
      System.out.printf(
          "seeded %d accounts on the chain and projected them in %.1f s%n",
          accounts, (System.nanoTime() - seeding) / 1e9);

      String admin = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "ADMIN").accessToken();
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      long started = System.nanoTime();
      String path =
          "/v1/ledger/reconciliations/"
              + rig.client
                  .post("startReconciliation", "/v1/ledger/reconciliations", null, admin)
                  .json()
                  .getString("reconciliationId");
      JsonObject[] run = new JsonObject[1];
      Eventually.until(
          "the reconciliation finished",
          Duration.ofMinutes(10),
          () -> {
            run[0] = rig.client.get("getReconciliation", path, admin).json();
            return "DONE".equals(run[0].getString("state"))
                || "FAILED".equals(run[0].getString("state"));
          });
      System.out.printf(
          "reconciled %d accounts and %d boards in %.1f s (%s, %d mismatches); load average %.1f"
              + " at the start, %.1f at the end, %d cores%n",
          run[0].getLong("accountsChecked"),
          run[0].getLong("boardsChecked"),
          (System.nanoTime() - started) / 1e9,
          run[0].getString("state"),
          run[0].getLong("mismatchCount"),
          load,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }

  /** One award per member, in batches, one transaction at a time. */
  private static void seed(Ledger chain, String rule, int accounts) {
    String today = LocalDate.now().toString();
    for (int from = 0; from < accounts; from += BATCH) {
      List<Ledger.Award> awards = new ArrayList<>();
      for (int i = from; i < Math.min(accounts, from + BATCH); i++) {
        awards.add(
            new Ledger.Award(
                Ids.submissionId(), Ids.memberId(), rule, 1, today, COMMUNITY, "m_bench"));
      }
      chain.recordAwards(awards).await();
    }
  }
}
