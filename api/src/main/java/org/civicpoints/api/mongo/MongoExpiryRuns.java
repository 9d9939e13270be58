package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.civicpoints.api.port.ExpiryRuns;
import org.civicpoints.api.port.Ledger;

/**
 * {@code point_expiries}: one document per Expire command, {@code _id} = its entry id, the outbox
 * in {@code ledger} (read by {@link MongoLedgerOutbox}); {@code expiry_runs}: the last run and the
 * notice rounds done.
 */
public final class MongoExpiryRuns implements ExpiryRuns {

  static final String COLLECTION = "point_expiries";
  private static final String LAST_RUN = "last-run";

  private final MongoCollection<Document> expiries;
  private final MongoCollection<Document> runs;

  public MongoExpiryRuns(MongoStore store) {
    this.expiries = store.database().getCollection(COLLECTION);
    this.runs = store.database().getCollection("expiry_runs");
  }

  @Override
  public Future<Void> queue(List<Ledger.Expiry> commands, Instant now) {
    if (commands.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Document> documents = commands.stream().map(expiry -> queued(expiry, now)).toList();
    return Publishers.done(expiries.insertMany(documents, new InsertManyOptions().ordered(false)))
        .recover(
            failure ->
                DuplicateKey.onlyInBulk(failure)
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }

  /** Claimable at once: its lease lapsed at the epoch. */
  private static Document queued(Ledger.Expiry expiry, Instant now) {
    return new Document("_id", expiry.entryId())
        .append("memberId", expiry.memberId())
        .append("year", expiry.year())
        .append("createdAt", Date.from(now))
        .append(
            "ledger",
            new Document("state", "QUEUED")
                .append("entryId", expiry.entryId())
                .append("queuedAt", Date.from(now))
                .append("attempts", 0)
                .append("leaseUntil", new Date(0))
                .append(
                    "expire",
                    new Document("entryId", expiry.entryId())
                        .append("memberId", expiry.memberId())
                        .append("year", expiry.year())
                        .append("actor", expiry.actor())));
  }

  @Override
  public Future<Long> pending() {
    return Publishers.first(expiries.countDocuments(eq("ledger.state", "QUEUED")));
  }

  @Override
  public Future<Optional<Run>> lastRun() {
    return Publishers.first(runs.find(eq("_id", LAST_RUN)))
        .map(
            found ->
                Optional.ofNullable(found)
                    .map(
                        run ->
                            new Run(
                                Documents.instant(run, "at"),
                                (int) Documents.number(run, "throughYear"),
                                Documents.number(run, "lotsFound"))));
  }

  @Override
  public Future<Void> saveRun(Run run) {
    return Publishers.done(
        runs.replaceOne(
            eq("_id", LAST_RUN),
            new Document("_id", LAST_RUN)
                .append("at", Date.from(run.at()))
                .append("throughYear", run.throughYear())
                .append("lotsFound", run.lotsFound()),
            new ReplaceOptions().upsert(true)));
  }

  @Override
  public Future<Boolean> noticesSent(String round) {
    return Publishers.first(runs.find(eq("_id", "notices-" + round))).map(found -> found != null);
  }

  @Override
  public Future<Void> markNoticesSent(String round, Instant at) {
    return Publishers.done(
        runs.replaceOne(
            eq("_id", "notices-" + round),
            new Document("_id", "notices-" + round).append("at", Date.from(at)),
            new ReplaceOptions().upsert(true)));
  }
}
