package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Reconciliation;
import org.civicpoints.api.domain.Reconciliation.Mismatch;
import org.civicpoints.api.domain.Reconciliation.State;
import org.civicpoints.api.port.Reconciliations;

/**
 * Runs in {@code reconciliations} (_id = reconciliationId); the read model read from {@code
 * balances}, {@code ledger_entries} and {@code standings}, each in one pass.
 */
public final class MongoReconciliations implements Reconciliations {

  private static final List<String> BALANCE_FIELDS =
      List.of("balance", "earned", "spent", "reversed", "refunded", "expired", "entries");

  private final MongoCollection<Document> runs;
  private final MongoCollection<Document> balances;
  private final MongoCollection<Document> entries;
  private final MongoCollection<Document> standings;

  public MongoReconciliations(MongoStore store) {
    this.runs = store.database().getCollection("reconciliations");
    this.balances = store.database().getCollection("balances");
    this.entries = store.database().getCollection("ledger_entries");
    this.standings = store.database().getCollection("standings");
  }

  /** Idempotent; run once at start-up. */
  public Future<Void> createIndexes() {
    // A member's standings: the runs and repairs read them by member.
    return Publishers.done(
            runs.createIndexes(
                List.of(
                    new IndexModel(
                        Indexes.compoundIndex(
                            Indexes.ascending("state"), Indexes.ascending("createdAt"))))))
        .compose(v -> Publishers.done(standings.createIndex(Indexes.ascending("memberId"))));
  }

  @Override
  public Future<Boolean> queue(Reconciliation run) {
    Document document =
        new Document("_id", run.reconciliationId())
            .append("trigger", run.trigger().name())
            .append("requestedBy", run.requestedBy())
            .append("createdAt", Date.from(run.createdAt()));
    return DuplicateKey.refusedAsFalse(Publishers.done(runs.insertOne(reset(document))));
  }

  /** A run's progress from the start: QUEUED, nothing checked, nothing found. */
  private static Document reset(Document run) {
    return run.append("state", State.QUEUED.name())
        .append("accountsChecked", 0L)
        .append("boardsChecked", 0L)
        .append("mismatchCount", 0L)
        .append("mismatches", List.of());
  }

  @Override
  public Future<Optional<Reconciliation>> find(String reconciliationId) {
    return Publishers.first(runs.find(eq("_id", reconciliationId)))
        .map(found -> Optional.ofNullable(found).map(MongoReconciliations::run));
  }

  @Override
  public Future<Optional<Reconciliation>> claimNext(Instant now) {
    return Publishers.first(
            runs.findOneAndUpdate(
                in("state", State.QUEUED.name(), State.RUNNING.name()),
                Updates.combine(
                    Updates.set("state", State.RUNNING.name()),
                    Updates.set("startedAt", Date.from(now)),
                    Updates.set("accountsChecked", 0L),
                    Updates.set("boardsChecked", 0L),
                    Updates.set("mismatchCount", 0L),
                    Updates.set("mismatches", List.of())),
                new FindOneAndUpdateOptions()
                    .sort(Sorts.ascending("createdAt"))
                    .returnDocument(ReturnDocument.AFTER)))
        .map(found -> Optional.ofNullable(found).map(MongoReconciliations::run));
  }

  @Override
  public Future<Void> progress(
      String reconciliationId, long checked, long found, List<Mismatch> kept) {
    return Publishers.done(
        runs.updateOne(
            eq("_id", reconciliationId),
            Updates.combine(
                Updates.inc("accountsChecked", checked),
                Updates.inc("mismatchCount", found),
                Updates.pushEach(
                    "mismatches", kept.stream().map(MongoReconciliations::document).toList()))));
  }

  @Override
  public Future<Void> finish(String reconciliationId, State state, long boardsChecked, Instant at) {
    return Publishers.done(
        runs.updateOne(
            eq("_id", reconciliationId),
            Updates.combine(
                Updates.set("state", state.name()),
                Updates.set("boardsChecked", boardsChecked),
                Updates.set("finishedAt", Date.from(at)))));
  }

  @Override
  public Future<Optional<Reconciliation>> lastDone() {
    return Publishers.first(
            runs.find(eq("state", State.DONE.name())).sort(Sorts.descending("finishedAt")).limit(1))
        .map(found -> Optional.ofNullable(found).map(MongoReconciliations::run));
  }

  @Override
  public Future<Map<String, Map<String, Long>>> balances() {
    return Publishers.all(balances.find().projection(Projections.include(BALANCE_FIELDS)))
        .map(
            found -> {
              Map<String, Map<String, Long>> byMember = new HashMap<>(found.size() * 2);
              found.forEach(
                  document -> {
                    Map<String, Long> fields = new LinkedHashMap<>();
                    BALANCE_FIELDS.forEach(
                        field -> fields.put(field, Documents.number(document, field)));
                    byMember.put(document.getString("_id"), fields);
                  });
              return byMember;
            });
  }

  @Override
  public Future<List<EntryRow>> entries() {
    return Publishers.all(
            entries
                .find()
                .projection(
                    Projections.include(
                        "memberId", "kind", "points", "category", "orgUnitId", "occurredOn")))
        .map(
            found ->
                found.stream()
                    .map(
                        document ->
                            new EntryRow(
                                document.getString("_id"),
                                document.getString("memberId"),
                                document.getString("kind"),
                                Documents.number(document, "points"),
                                document.getString("category"),
                                document.getString("orgUnitId"),
                                document.getString("occurredOn")))
                    .toList());
  }

  @Override
  public Future<Map<String, Map<String, Long>>> boardTotals() {
    return Publishers.all(
            standings.aggregate(
                List.of(
                    new Document(
                        "$group",
                        new Document("_id", "$board")
                            .append("points", new Document("$sum", "$points"))
                            .append("entries", new Document("$sum", "$entries"))))))
        .map(
            groups -> {
              Map<String, Map<String, Long>> byBoard = new HashMap<>();
              groups.forEach(group -> byBoard.put(group.getString("_id"), totals(group)));
              return byBoard;
            });
  }

  @Override
  public Future<Map<String, Map<String, Map<String, Long>>>> standings(Set<String> boards) {
    if (boards.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return standingsWhere(in("board", boards));
  }

  private Future<Map<String, Map<String, Map<String, Long>>>> standingsWhere(Bson filter) {
    return Publishers.all(
            standings
                .find(filter)
                .projection(Projections.include("board", "memberId", "points", "entries")))
        .map(
            found -> {
              Map<String, Map<String, Map<String, Long>>> byBoard = new HashMap<>();
              found.forEach(
                  document ->
                      byBoard
                          .computeIfAbsent(document.getString("board"), board -> new HashMap<>())
                          .put(document.getString("memberId"), totals(document)));
              return byBoard;
            });
  }

  @Override
  public Future<Map<String, Map<String, Map<String, Long>>>> standingsOf(Set<String> members) {
    return standingsWhere(in("memberId", members));
  }

  @Override
  public Future<Map<String, Long>> positions(Collection<String> entryIds) {
    return IdLookup.byIds(entries, entryIds, Projections.include("position"))
        .map(
            found -> {
              Map<String, Long> byEntry = new HashMap<>();
              found.forEach(
                  document ->
                      byEntry.put(
                          document.getString("_id"), Documents.number(document, "position")));
              return byEntry;
            });
  }

  private static Map<String, Long> totals(Document document) {
    Map<String, Long> totals = new LinkedHashMap<>();
    totals.put("points", Documents.number(document, "points"));
    totals.put("entries", Documents.number(document, "entries"));
    return totals;
  }

  private static Document document(Mismatch mismatch) {
    return new Document("subject", mismatch.subject().name())
        .append("memberId", mismatch.memberId())
        .append("board", mismatch.board())
        .append("expected", new Document(new LinkedHashMap<>(mismatch.expected())))
        .append("actual", new Document(new LinkedHashMap<>(mismatch.actual())));
  }

  private static Reconciliation run(Document found) {
    List<Mismatch> mismatches = new ArrayList<>();
    found
        .getList("mismatches", Document.class, List.of())
        .forEach(document -> mismatches.add(mismatch(document)));
    return new Reconciliation(
        found.getString("_id"),
        Reconciliation.Trigger.valueOf(found.getString("trigger")),
        found.getString("requestedBy"),
        State.valueOf(found.getString("state")),
        found.getDate("createdAt").toInstant(),
        instant(found.getDate("startedAt")),
        instant(found.getDate("finishedAt")),
        Documents.number(found, "accountsChecked"),
        Documents.number(found, "boardsChecked"),
        Documents.number(found, "mismatchCount"),
        mismatches);
  }

  private static Mismatch mismatch(Document document) {
    return new Mismatch(
        Reconciliation.Subject.valueOf(document.getString("subject")),
        document.getString("memberId"),
        document.getString("board"),
        numbers(document.get("expected", Document.class)),
        numbers(document.get("actual", Document.class)));
  }

  private static Map<String, Long> numbers(Document document) {
    Map<String, Long> numbers = new LinkedHashMap<>();
    document.forEach((field, value) -> numbers.put(field, ((Number) value).longValue()));
    return numbers;
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
