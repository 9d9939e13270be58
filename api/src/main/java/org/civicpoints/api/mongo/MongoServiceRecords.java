package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bson.Document;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.ServiceLevel;
import org.civicpoints.api.domain.ServiceRecord;
import org.civicpoints.api.mongo.PositionedDocuments.Change;
import org.civicpoints.api.port.ServiceRecords;

/**
 * "service_records", _id = entryId: one document per chain-recorded award or reversal, with the
 * units and activity of the submission it records (read from "submissions" in one lookup per
 * batch). Inserting an entry twice keeps the first: replays change nothing.
 *
 * <p>"service_totals", _id = memberId: each member's volunteer and study units added up from those
 * records as they are kept ({@link PositionedDocuments}, so a replay adds nothing twice), which is
 * what star levels read after every batch. Adding the records up instead, per batch, was a fifth of
 * the embedded store's time in the approval benchmark (an aggregation is a collection scan there).
 */
public final class MongoServiceRecords implements ServiceRecords {

  /** The categories whose units make levels, and the totals' fields for them. */
  private static final List<String> LEVELLED = List.of("VOLUNTEER", "STUDY");

  private final MongoCollection<Document> records;
  private final MongoCollection<Document> submissions;
  private final MongoCollection<Document> totalsCollection;
  private final PositionedDocuments totals;

  public MongoServiceRecords(MongoStore store) {
    this.records = store.database().getCollection("service_records");
    this.submissions = store.database().getCollection("submissions");
    this.totalsCollection = store.database().getCollection("service_totals");
    this.totals = new PositionedDocuments(store, totalsCollection);
  }

  public Future<Void> createIndexes() {
    return Publishers.done(
            records.createIndex(
                Indexes.compoundIndex(
                    Indexes.ascending("memberId"), Indexes.ascending("occurredOn"))))
        .compose(v -> totals.createIndexes());
  }

  @Override
  public Future<Void> record(List<MovedEntry> moved) {
    List<MovedEntry> service =
        moved.stream()
            .filter(entry -> entry.kind() == EntryKind.AWARD || entry.kind() == EntryKind.REVERSAL)
            .toList();
    if (service.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> awardIds = service.stream().map(MongoServiceRecords::awardIdOf).toList();
    return IdLookup.byIds(
            submissions, awardIds, Projections.include("units", "activityTitle", "communityId"))
        .map(found -> found.stream().collect(Collectors.toMap(d -> d.getString("_id"), d -> d)))
        .compose(
            about -> {
              List<Document> kept = service.stream().map(entry -> document(entry, about)).toList();
              // Totals first: a kept record means its member's levels count it.
              return totals.apply(totalChanges(service, kept)).compose(v -> insert(kept));
            });
  }

  /** What each kept record adds to its member's totals, in chain order. */
  private static List<Change> totalChanges(List<MovedEntry> service, List<Document> kept) {
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < service.size(); i++) {
      Document record = kept.get(i);
      String category = record.getString("category");
      if (LEVELLED.contains(category)) {
        changes.add(
            new Change(
                record.getString("memberId"),
                service.get(i).position(),
                new Document("units." + category, Documents.number(record, "units")),
                new Document(),
                new Document()));
      }
    }
    return changes;
  }

  private Future<Void> insert(List<Document> documents) {
    return Publishers.done(records.insertMany(documents, new InsertManyOptions().ordered(false)))
        .recover(
            failure ->
                DuplicateKey.onlyInBulk(failure)
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }

  /** A reversal's units are its award's, negated; an entry of no submission counts no units. */
  private static Document document(MovedEntry entry, Map<String, Document> about) {
    String awardId = awardIdOf(entry);
    Optional<Document> submission = Optional.ofNullable(about.get(awardId));
    long units = submission.map(found -> Documents.number(found, "units")).orElse(0L);
    return new Document("_id", entry.entryId())
        .append("awardEntryId", awardId)
        .append("memberId", entry.memberId())
        .append("kind", entry.kind().name())
        .append("category", entry.category())
        .append("units", entry.kind() == EntryKind.REVERSAL ? -units : units)
        .append("points", entry.points())
        .append("occurredOn", entry.occurredOn().toString())
        .append(
            "communityId",
            submission.map(found -> found.getString("communityId")).orElse(entry.orgUnitId()))
        .append(
            "activityTitle", submission.map(found -> found.getString("activityTitle")).orElse(null))
        .append("txId", entry.txId())
        .append("blockNumber", entry.position().blockNumber());
  }

  private static String awardIdOf(MovedEntry entry) {
    String prefix = ServiceRecord.reversalIdOf("");
    return entry.kind() == EntryKind.REVERSAL && entry.entryId().startsWith(prefix)
        ? entry.entryId().substring(prefix.length())
        : entry.entryId();
  }

  @Override
  public Future<List<ServiceRecord>> inPeriod(
      String memberId, LocalDate from, LocalDate to, Set<Category> categories) {
    return Publishers.all(
            records
                .find(
                    and(
                        eq("memberId", memberId),
                        gte("occurredOn", from.toString()),
                        lte("occurredOn", to.toString()),
                        in("category", categories.stream().map(Category::name).toList())))
                .sort(Sorts.ascending("occurredOn", "_id")))
        .map(found -> found.stream().map(MongoServiceRecords::record).toList());
  }

  @Override
  public Future<Map<String, ServiceLevel>> levels(Collection<String> memberIds) {
    List<String> members = memberIds.stream().distinct().toList();
    return IdLookup.byIds(totalsCollection, members)
        .map(
            found -> {
              Map<String, Document> byMember = new HashMap<>();
              found.forEach(document -> byMember.put(document.getString("_id"), document));
              return members.stream()
                  .collect(
                      Collectors.toMap(Function.identity(), member -> level(byMember.get(member))));
            });
  }

  private static ServiceLevel level(Document total) {
    Document units = total == null ? null : total.get("units", Document.class);
    return new ServiceLevel(Documents.number(units, "VOLUNTEER"), Documents.number(units, "STUDY"));
  }

  @Override
  public Future<Boolean> levelsNeedReplay() {
    return Future.all(
            Publishers.first(totalsCollection.find().limit(1)),
            Publishers.first(records.find().limit(1)))
        .map(firsts -> firsts.resultAt(0) == null && firsts.resultAt(1) != null);
  }

  static ServiceRecord record(Document found) {
    return new ServiceRecord(
        found.getString("_id"),
        found.getString("awardEntryId"),
        found.getString("memberId"),
        EntryKind.valueOf(found.getString("kind")),
        Category.valueOf(found.getString("category")),
        Documents.number(found, "units"),
        Documents.number(found, "points"),
        LocalDate.parse(found.getString("occurredOn")),
        found.getString("communityId"),
        found.getString("activityTitle"),
        found.getString("txId"),
        Documents.number(found, "blockNumber"));
  }

  static Document document(ServiceRecord record) {
    return new Document("_id", record.entryId())
        .append("awardEntryId", record.awardEntryId())
        .append("memberId", record.memberId())
        .append("kind", record.kind().name())
        .append("category", record.category().name())
        .append("units", record.units())
        .append("points", record.points())
        .append("occurredOn", record.occurredOn().toString())
        .append("communityId", record.communityId())
        .append("activityTitle", record.activityTitle())
        .append("txId", record.txId())
        .append("blockNumber", record.blockNumber());
  }
}
