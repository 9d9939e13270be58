package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.nin;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox;

/**
 * The outbox inside the documents it belongs to: {@code submissions.ledger} (awards), {@code
 * submissions.reversal} and {@code point_rules.ledger}. A claim reads the candidates by _id, keeps
 * those queued with a lapsed lease, and takes each by compare-and-set on the lease owner it saw;
 * every write-back is conditioned on the command being still QUEUED under our lease. All of them
 * filter on exactly {_id, state, leaseOwner} (flat documents), which the embedded store serves from
 * its lookup index and MongoDB from _id.
 */
public final class MongoLedgerOutbox implements LedgerOutbox {

  private static final String QUEUED = "QUEUED";
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
  private final MongoStore store;
  private final MongoCollection<Document> submissions;
  private final MongoCollection<Document> rules;
  private final MongoCollection<Document> redemptions;
  private final MongoCollection<Document> expiries;

  public MongoLedgerOutbox(MongoStore store) {
    this.store = store;
    this.submissions = store.database().getCollection("submissions");
    this.rules = store.database().getCollection("point_rules");
    this.redemptions = store.database().getCollection("redemptions");
    this.expiries = store.database().getCollection(MongoExpiryRuns.COLLECTION);
  }

  public Future<Void> createIndexes() {
    return Future.all(
            Arrays.stream(Command.values())
                .map(
                    command ->
                        store.exactLookupIndex(
                            collection(command),
                            field(command) + ".state",
                            field(command) + ".leaseOwner"))
                .toList())
        .mapEmpty();
  }

  @Override
  public Future<List<Candidate>> queued(
      Command command, Instant now, int limit, Set<String> ruleIdsToSkip) {
    String outbox = field(command);
    List<Bson> conditions =
        new ArrayList<>(
            List.of(eq(outbox + ".state", QUEUED), lt(outbox + ".leaseUntil", Date.from(now))));
    if (command == Command.AWARD && !ruleIdsToSkip.isEmpty()) {
      conditions.add(nin(outbox + ".award.ruleId", ruleIdsToSkip));
    }
    return Publishers.all(
            collection(command)
                .find(and(conditions))
                .projection(Projections.include("memberId", outbox + ".award.ruleId"))
                .limit(limit))
        .map(
            documents ->
                documents.stream()
                    .map(
                        document ->
                            new Candidate(
                                document.getString("_id"),
                                document.getString("memberId"),
                                ruleIdOf(command, document)))
                    .toList());
  }

  @Override
  public Future<Set<String>> rulesAwaitingChain() {
    // A rule that has been on chain once keeps serving awards while its next version is queued.
    return Publishers.all(
            rules
                .find(and(eq("ledger.state", QUEUED), eq("version", 1)))
                .projection(Projections.include("_id")))
        .map(
            documents -> {
              Set<String> ids = new HashSet<>();
              documents.forEach(document -> ids.add(document.getString("_id")));
              return ids;
            });
  }

  @Override
  public <T> Future<List<Claimed<T>>> claim(
      CommandType<T> type, List<String> ids, String owner, Instant now, Instant leaseUntil) {
    return claim(
        type.command(),
        ids,
        owner,
        now,
        leaseUntil,
        document -> type.type().cast(reader(type.command()).apply(document)));
  }

  /** How a claimed document reads as its command. */
  private static Function<Document, ?> reader(Command command) {
    Function<Document, ?> read =
        switch (command) {
          case AWARD -> MongoLedgerOutbox::award;
          case REVERSAL -> MongoLedgerOutbox::reversal;
          case RULE -> MongoLedgerOutbox::ruleVersion;
          case REDEMPTION -> MongoLedgerOutbox::redemption;
          case REFUND -> MongoLedgerOutbox::refund;
          case EXPIRY -> MongoLedgerOutbox::expiry;
        };
    return read.compose(document -> payload(command, document));
  }

  /** Where a command's fields are in its document: the rule itself, or a sub-document (or null). */
  private static Document payload(Command command, Document document) {
    String path =
        switch (command) {
          case AWARD -> "ledger.award";
          case REVERSAL -> "reversal";
          case RULE -> null;
          case REDEMPTION -> "ledger.redeem";
          case REFUND -> "refund";
          case EXPIRY -> "ledger.expire";
        };
    return path == null ? document : (Document) DottedPaths.valueAt(document, path);
  }

  /**
   * The {@code ledger} sub-document of an approved submission: its award command, queued and under
   * the approving relay's first lease (its first attempt).
   */
  static Document queuedAward(Ledger.Award award, Instant at, Lease firstLease) {
    return new Document("state", QUEUED)
        .append("entryId", award.entryId())
        .append("queuedAt", Date.from(at))
        .append("attempts", 1)
        .append("leaseOwner", firstLease.owner())
        .append("leaseUntil", Date.from(firstLease.until()))
        .append(
            "award",
            new Document("entryId", award.entryId())
                .append("memberId", award.memberId())
                .append("ruleId", award.ruleId())
                .append("units", award.units())
                .append("occurredOn", award.occurredOn())
                .append("orgUnitId", award.orgUnitId())
                .append("actor", award.actor()));
  }

  private static Ledger.Award award(Document award) {
    return new Ledger.Award(
        award.getString("entryId"),
        award.getString("memberId"),
        award.getString("ruleId"),
        Documents.number(award, "units"),
        award.getString("occurredOn"),
        award.getString("orgUnitId"),
        award.getString("actor"));
  }

  private static Ledger.Reversal reversal(Document reversal) {
    return new Ledger.Reversal(
        reversal.getString("entryId"),
        reversal.getString("targetEntryId"),
        reversal.getString("reason"),
        reversal.getString("actor"));
  }

  private static Ledger.Redemption redemption(Document redeem) {
    return new Ledger.Redemption(
        redeem.getString("entryId"),
        redeem.getString("memberId"),
        Documents.number(redeem, "points"),
        redeem.getString("rewardId"),
        redeem.getString("actor"));
  }

  private static Ledger.Refund refund(Document refund) {
    return new Ledger.Refund(
        refund.getString("entryId"),
        refund.getString("redemptionEntryId"),
        refund.getString("reason"),
        refund.getString("actor"));
  }

  private static Ledger.Expiry expiry(Document expire) {
    return new Ledger.Expiry(
        expire.getString("entryId"),
        expire.getString("memberId"),
        (int) Documents.number(expire, "year"),
        expire.getString("actor"));
  }

  private static Ledger.RuleVersion ruleVersion(Document rule) {
    return new Ledger.RuleVersion(
        rule.getString("_id"),
        Documents.number(rule, "version"),
        rule.getString("category"),
        Documents.number(rule, "points"),
        Documents.number(rule, "dailyCap"),
        Documents.number(rule, "yearlyCap"),
        rule.getBoolean("active", true));
  }

  @Override
  public Future<Void> submitted(
      Command command, List<String> ids, String owner, String txId, Instant now) {
    String outbox = field(command);
    return eachOfOurs(
        command,
        ids,
        owner,
        Updates.combine(
            Updates.set(outbox + ".state", "SUBMITTED"),
            Updates.set(outbox + ".txId", txId),
            Updates.set(outbox + ".submittedAt", Date.from(now))));
  }

  @Override
  public Future<List<String>> failed(
      Command command, Map<String, String> reasonById, String owner, Instant now) {
    String outbox = field(command);
    List<Future<String>> changed = new ArrayList<>();
    reasonById.forEach(
        (id, reason) -> {
          List<Bson> updates =
              new ArrayList<>(
                  List.of(
                      Updates.set(outbox + ".state", "FAILED"),
                      Updates.set(outbox + ".reason", reason),
                      Updates.set("updatedAt", Date.from(now))));
          if (command == Command.AWARD || command == Command.REDEMPTION) {
            updates.add(Updates.set("status", SubmissionStatus.FAILED.name()));
          }
          changed.add(
              Publishers.first(
                      collection(command)
                          .updateOne(queuedUnder(command, id, owner), Updates.combine(updates)))
                  .map(result -> result.getModifiedCount() == 1 ? id : null));
        });
    return Future.all(changed)
        .map(all -> all.<String>list().stream().filter(id -> id != null).toList());
  }

  @Override
  public Future<Void> release(Command command, List<String> ids, String owner, Instant now) {
    return eachOfOurs(
        command,
        ids,
        owner,
        Updates.set(field(command) + ".leaseUntil", Date.from(Lease.lapsed(owner, now).until())));
  }

  @Override
  public Future<Void> retry(
      Command command, List<String> ids, String owner, Instant nextAttemptAt, String error) {
    String outbox = field(command);
    return eachOfOurs(
        command,
        ids,
        owner,
        Updates.combine(
            Updates.set(outbox + ".leaseUntil", Date.from(nextAttemptAt)),
            Updates.set(outbox + ".nextAttemptAt", Date.from(nextAttemptAt)),
            Updates.set(outbox + ".lastError", error)));
  }

  /**
   * Every kind of command: a reversal or a rule version waiting (under a crashed instance's lease,
   * say) keeps the relay busy just as an award does.
   */
  @Override
  public Future<Backlog> backlog() {
    List<Future<Backlog>> each = Arrays.stream(Command.values()).map(this::backlog).toList();
    return Future.all(each)
        .map(all -> each.stream().map(Future::result).reduce(Backlog.NONE, Backlog::plus));
  }

  private Future<Backlog> backlog(Command command) {
    String outbox = field(command);
    Future<List<Document>> queued =
        Publishers.all(
            collection(command)
                .aggregate(
                    List.of(
                        new Document("$match", new Document(outbox + ".state", QUEUED)),
                        new Document(
                            "$group",
                            new Document("_id", null)
                                .append("count", new Document("$sum", 1))
                                .append(
                                    "oldest", new Document("$min", "$" + outbox + ".queuedAt"))))));
    Future<Long> submitted =
        Publishers.first(collection(command).countDocuments(eq(outbox + ".state", "SUBMITTED")));
    return Future.all(queued, submitted)
        .map(
            both -> {
              List<Document> groups = queued.result();
              long count = groups.isEmpty() ? 0 : Documents.number(groups.get(0), "count");
              Optional<Instant> oldest =
                  groups.isEmpty()
                      ? Optional.empty()
                      : Optional.ofNullable(groups.get(0).getDate("oldest")).map(Date::toInstant);
              return new Backlog(count, oldest, submitted.result());
            });
  }

  private <T> Future<List<Claimed<T>>> claim(
      Command command,
      List<String> ids,
      String owner,
      Instant now,
      Instant leaseUntil,
      Function<Document, T> reader) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String outbox = field(command);
    Bson claim =
        Updates.combine(
            Updates.set(outbox + ".leaseUntil", Date.from(leaseUntil)),
            Updates.set(outbox + ".leaseOwner", owner),
            Updates.inc(outbox + ".attempts", 1));
    return IdLookup.byIds(collection(command), ids)
        .compose(
            found -> {
              List<Document> claimable =
                  found.stream()
                      .filter(document -> claimable(document.get(outbox, Document.class), now))
                      .toList();
              List<WriteModel<Document>> takes =
                  claimable.stream()
                      .<WriteModel<Document>>map(
                          document ->
                              new UpdateOneModel<>(
                                  queuedUnder(
                                      command,
                                      document.getString("_id"),
                                      document.get(outbox, Document.class).getString("leaseOwner")),
                                  claim))
                      .toList();
              // All taken: each is what was found, now under our lease. Otherwise read back which
              // are ours.
              return takes.isEmpty()
                  ? Future.succeededFuture(List.<Document>of())
                  : Publishers.first(collection(command).bulkWrite(takes, UNORDERED))
                      .compose(
                          result ->
                              result.getMatchedCount() == takes.size()
                                  ? Future.succeededFuture(claimable)
                                  : IdLookup.byIds(collection(command), ids)
                                      .map(
                                          after ->
                                              after.stream()
                                                  .filter(
                                                      document ->
                                                          isOurs(
                                                              document.get(outbox, Document.class),
                                                              owner,
                                                              leaseUntil))
                                                  .toList()));
            })
        .map(
            documents ->
                documents.stream()
                    .map(
                        document ->
                            new Claimed<>(
                                document.getString("_id"),
                                document.getString("memberId"),
                                attemptsOf(document.get(outbox, Document.class), owner, leaseUntil),
                                reader.apply(document)))
                    .toList());
  }

  /**
   * The attempt this claim makes: one more than the document had when it was found, as read back
   * after the claim.
   */
  private static int attemptsOf(Document outbox, String owner, Instant leaseUntil) {
    int attempts = (int) Documents.number(outbox, "attempts");
    return isOurs(outbox, owner, leaseUntil) ? attempts : attempts + 1;
  }

  private static boolean claimable(Document outbox, Instant now) {
    return outbox != null
        && QUEUED.equals(outbox.getString("state"))
        && outbox.getDate("leaseUntil") != null
        && Documents.instant(outbox, "leaseUntil").isBefore(now);
  }

  private static boolean isOurs(Document outbox, String owner, Instant leaseUntil) {
    return outbox != null
        && QUEUED.equals(outbox.getString("state"))
        && owner.equals(outbox.getString("leaseOwner"))
        && Date.from(leaseUntil).equals(outbox.getDate("leaseUntil"));
  }

  /** One compare-and-set per command still QUEUED under our lease, in one round trip. */
  private Future<Void> eachOfOurs(Command command, List<String> ids, String owner, Bson update) {
    return bulk(
        command,
        ids.stream()
            .<WriteModel<Document>>map(
                id -> new UpdateOneModel<>(queuedUnder(command, id, owner), update))
            .toList());
  }

  private Future<Void> bulk(Command command, List<WriteModel<Document>> writes) {
    return writes.isEmpty()
        ? Future.succeededFuture()
        : Publishers.done(collection(command).bulkWrite(writes, UNORDERED));
  }

  private static Bson queuedUnder(Command command, String id, String leaseOwner) {
    return new Document("_id", id)
        .append(field(command) + ".state", QUEUED)
        .append(field(command) + ".leaseOwner", leaseOwner);
  }

  private MongoCollection<Document> collection(Command command) {
    return switch (command) {
      case RULE -> rules;
      case REDEMPTION, REFUND -> redemptions;
      case EXPIRY -> expiries;
      default -> submissions;
    };
  }

  private static String field(Command command) {
    return switch (command) {
      case REVERSAL -> "reversal";
      case REFUND -> "refund";
      default -> "ledger";
    };
  }

  private static String ruleIdOf(Command command, Document document) {
    if (command == Command.RULE) {
      return document.getString("_id");
    }
    Document award = command == Command.AWARD ? payload(command, document) : null;
    return award == null ? null : award.getString("ruleId");
  }
}
