package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.domain.Reconciliation.Mismatch;
import org.civicpoints.api.domain.Reconciliation.Subject;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Reconciliations;
import org.civicpoints.api.port.Reconciliations.EntryRow;

/**
 * One reconciliation: the read model is read first (balances, entries, board totals, one pass
 * each), then the chain's accounts page by page, each page compared as it comes and its mismatches
 * saved with the run's progress; then every board's standings against the sum of its entries.
 *
 * <p>The chain is the truth for accounts. For boards the entries of the read model are, once they
 * agree with their member's account: a member whose entries disagree (an ENTRIES mismatch) is left
 * out of the boards, so one bad entry is one mismatch, not one per board it counts on. A board
 * whose totals differ is looked into member by member. Party-branch boards are not checked (branch
 * membership is read when an entry is projected). Entries committed while the run reads may show as
 * mismatches; the next run no longer sees them.
 */
final class ReconciliationRun {

  static final int ACCOUNTS_PER_PAGE = 1_000;

  private static final List<String> TOTALS =
      List.of("balance", "earned", "spent", "reversed", "refunded", "expired", "entries");
  private static final String BRANCH_SCOPE = "branch:";

  private final Reconciliation run;
  private final Ledger ledger;
  private final Reconciliations runs;
  private final StandingsProjection boards;
  private final Supplier<Future<Void>> keepLease;
  private Map<String, Map<String, Long>> balances;
  private List<EntryRow> entries;
  private final Map<String, Map<String, Long>> entryTotals = new HashMap<>();
  private final Set<String> untrusted = new HashSet<>();
  private final Set<String> onChain = new HashSet<>();
  private long found;
  private int kept;
  private long boardsChecked;

  ReconciliationRun(
      Reconciliation run,
      Ledger ledger,
      Reconciliations runs,
      StandingsProjection boards,
      Supplier<Future<Void>> keepLease) {
    this.run = run;
    this.ledger = ledger;
    this.runs = runs;
    this.boards = boards;
    this.keepLease = keepLease;
  }

  /** The number of mismatches found. */
  Future<Long> execute() {
    return Future.all(runs.balances(), runs.entries())
        .compose(
            read -> {
              balances = read.resultAt(0);
              entries = read.resultAt(1);
              entries.forEach(this::addToTotals);
              return accounts("");
            })
        .compose(v -> readModelOnly())
        .compose(v -> boards())
        .map(v -> found);
  }

  private void addToTotals(EntryRow entry) {
    Map<String, Long> totals = entryTotals.computeIfAbsent(entry.memberId(), id -> zeros());
    totals.merge("balance", entry.points(), Long::sum);
    totals.merge("entries", 1L, Long::sum);
    String total = total(EntryKind.valueOf(entry.kind()));
    if (total != null) {
      totals.merge(total, Math.abs(entry.points()), Long::sum);
    }
  }

  /** The account total an entry kind adds its size to, as the chain counts it. */
  private static String total(EntryKind kind) {
    return switch (kind) {
      case AWARD -> "earned";
      case REDEMPTION -> "spent";
      case REVERSAL -> "reversed";
      case REFUND -> "refunded";
      case EXPIRY -> "expired";
      case ADJUSTMENT -> null;
    };
  }

  private Future<Void> accounts(String bookmark) {
    return ledger
        .accounts(ACCOUNTS_PER_PAGE, bookmark)
        .compose(
            page -> {
              List<Mismatch> mismatches = new ArrayList<>();
              page.accounts().forEach(account -> compare(account, mismatches));
              return save(page.accounts().size(), mismatches)
                  .compose(v -> keepLease.get())
                  .compose(
                      v ->
                          page.bookmark().isEmpty()
                              ? Future.succeededFuture()
                              : accounts(page.bookmark()));
            });
  }

  private void compare(JsonObject account, List<Mismatch> mismatches) {
    String memberId = account.getString("memberId");
    onChain.add(memberId);
    Map<String, Long> chain = new LinkedHashMap<>();
    TOTALS.forEach(
        total -> chain.put(total, account.getLong(total.equals("entries") ? "entryCount" : total)));
    differ(Subject.ACCOUNT, memberId, chain, balances.getOrDefault(memberId, zeros()), mismatches);
    if (differ(
        Subject.ENTRIES,
        memberId,
        chain,
        entryTotals.getOrDefault(memberId, zeros()),
        mismatches)) {
      untrusted.add(memberId);
    }
  }

  /** Members the read model holds and the chain has no account of. */
  private Future<Void> readModelOnly() {
    List<Mismatch> mismatches = new ArrayList<>();
    Set<String> members = new HashSet<>(balances.keySet());
    members.addAll(entryTotals.keySet());
    members.removeAll(onChain);
    for (String memberId : members) {
      differ(
          Subject.ACCOUNT, memberId, zeros(), balances.getOrDefault(memberId, zeros()), mismatches);
      if (differ(
          Subject.ENTRIES,
          memberId,
          zeros(),
          entryTotals.getOrDefault(memberId, zeros()),
          mismatches)) {
        untrusted.add(memberId);
      }
    }
    return save(0, mismatches);
  }

  /** Adds a mismatch of the fields that differ; true when some do. */
  private static boolean differ(
      Subject subject,
      String memberId,
      Map<String, Long> expected,
      Map<String, Long> actual,
      List<Mismatch> mismatches) {
    return differ(subject, memberId, null, expected, actual, mismatches);
  }

  private static boolean differ(
      Subject subject,
      String memberId,
      String board,
      Map<String, Long> expected,
      Map<String, Long> actual,
      List<Mismatch> mismatches) {
    Map<String, Long> wanted = new LinkedHashMap<>();
    Map<String, Long> held = new LinkedHashMap<>();
    expected.forEach(
        (field, value) -> {
          long other = actual.getOrDefault(field, 0L);
          if (value != other) {
            wanted.put(field, value);
            held.put(field, other);
          }
        });
    if (wanted.isEmpty()) {
      return false;
    }
    mismatches.add(new Mismatch(subject, memberId, board, wanted, held));
    return true;
  }

  private Future<Void> save(long checked, List<Mismatch> mismatches) {
    found += mismatches.size();
    List<Mismatch> keep =
        mismatches.subList(0, Math.min(mismatches.size(), Reconciliation.KEPT_MISMATCHES - kept));
    kept += keep.size();
    if (checked == 0 && mismatches.isEmpty()) {
      return Future.succeededFuture();
    }
    return runs.progress(run.reconciliationId(), checked, mismatches.size(), List.copyOf(keep));
  }

  /** Every board's totals against its entries; the boards that differ member by member. */
  private Future<Void> boards() {
    Map<String, Map<String, Long>> expected = new HashMap<>();
    forEachCredit((board, entry) -> add(expected.computeIfAbsent(board, b -> points()), entry));
    return Future.all(runs.boardTotals(), untrustedStandings())
        .compose(
            read -> {
              Map<String, Map<String, Long>> actual = read.resultAt(0);
              Map<String, Map<String, Map<String, Long>>> leftOut = read.resultAt(1);
              leftOut.forEach(
                  (board, members) ->
                      members.values().forEach(standing -> subtract(actual, board, standing)));
              actual.keySet().removeIf(board -> board.startsWith(BRANCH_SCOPE));
              Set<String> all = new HashSet<>(expected.keySet());
              all.addAll(actual.keySet());
              Set<String> differing = new HashSet<>();
              all.forEach(
                  board -> {
                    if (!expected
                        .getOrDefault(board, points())
                        .equals(actual.getOrDefault(board, points()))) {
                      differing.add(board);
                    }
                  });
              this.boardsChecked = all.size();
              return differing.isEmpty()
                  ? Future.succeededFuture()
                  : standingsOf(differing, expected, actual);
            });
  }

  long boardsChecked() {
    return boardsChecked;
  }

  private Future<Map<String, Map<String, Map<String, Long>>>> untrustedStandings() {
    return untrusted.isEmpty() ? Future.succeededFuture(Map.of()) : runs.standingsOf(untrusted);
  }

  /** The members behind the boards that differ: their standings against their entries there. */
  private Future<Void> standingsOf(
      Set<String> differing,
      Map<String, Map<String, Long>> expectedBoards,
      Map<String, Map<String, Long>> actualBoards) {
    Map<String, Map<String, Map<String, Long>>> expected = new HashMap<>();
    forEachCredit(
        (board, entry) -> {
          if (differing.contains(board)) {
            add(
                expected
                    .computeIfAbsent(board, b -> new HashMap<>())
                    .computeIfAbsent(entry.memberId(), m -> points()),
                entry);
          }
        });
    return runs.standings(differing)
        .compose(
            actual -> {
              List<Mismatch> mismatches = new ArrayList<>();
              for (String board : differing) {
                Map<String, Map<String, Long>> held =
                    new HashMap<>(actual.getOrDefault(board, Map.of()));
                held.keySet().removeAll(untrusted);
                Map<String, Map<String, Long>> wanted = expected.getOrDefault(board, Map.of());
                Set<String> members = new HashSet<>(wanted.keySet());
                members.addAll(held.keySet());
                boolean named = false;
                for (String memberId : members) {
                  named |=
                      differ(
                          Subject.STANDING,
                          memberId,
                          board,
                          wanted.getOrDefault(memberId, points()),
                          held.getOrDefault(memberId, points()),
                          mismatches);
                }
                if (!named) {
                  differ(
                      Subject.BOARD,
                      null,
                      board,
                      expectedBoards.getOrDefault(board, points()),
                      actualBoards.getOrDefault(board, points()),
                      mismatches);
                }
              }
              return save(0, mismatches);
            });
  }

  private interface Credit {
    void to(String board, EntryRow entry);
  }

  /** Each entry of a trusted member on each (non-branch) ALL board it counts on. */
  private void forEachCredit(Credit credit) {
    for (EntryRow entry : entries) {
      if (!untrusted.contains(entry.memberId())
          && entry.occurredOn() != null
          && StandingsProjection.countsForStandings(
              EntryKind.valueOf(entry.kind()),
              entry.category(),
              entry.orgUnitId(),
              entry.points())) {
        boards
            .boardKeys(entry.orgUnitId(), LocalDate.parse(entry.occurredOn()))
            .forEach(board -> credit.to(board, entry));
      }
    }
  }

  private static void add(Map<String, Long> totals, EntryRow entry) {
    totals.merge("points", entry.points(), Long::sum);
    totals.merge("entries", 1L, Long::sum);
  }

  private static void subtract(
      Map<String, Map<String, Long>> boards, String board, Map<String, Long> standing) {
    Map<String, Long> totals = boards.get(board);
    if (totals != null) {
      standing.forEach((field, value) -> totals.merge(field, -value, Long::sum));
    }
  }

  private static Map<String, Long> zeros() {
    Map<String, Long> zeros = new LinkedHashMap<>();
    TOTALS.forEach(total -> zeros.put(total, 0L));
    return zeros;
  }

  private static Map<String, Long> points() {
    Map<String, Long> zeros = new LinkedHashMap<>();
    zeros.put("points", 0L);
    zeros.put("entries", 0L);
    return zeros;
  }
}
