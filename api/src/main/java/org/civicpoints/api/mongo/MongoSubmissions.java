package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bson.Document;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox.Lease;
import org.civicpoints.api.port.Submissions;

/**
 * Submissions in "submissions", _id = submissionId. The {@code ledger} and {@code reversal}
 * sub-documents are the outbox of the ledger relay; approval and reversal requests create them in
 * the same single-document update that changes the status, so no transaction is ever needed.
 */
public final class MongoSubmissions implements Submissions {

  private static final FindOneAndUpdateOptions RETURN_UPDATED =
      new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);
  private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);
  private static final String CLAIM = "claim";

  private final MongoStore store;
  private final MongoCollection<Document> collection;

  public MongoSubmissions(MongoStore store) {
    this.store = store;
    this.collection = store.database().getCollection("submissions");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(
            collection,
            // Guards the idempotency of POST /v1/submissions: one submission per (member, key).
            NamedIndexes.unique("memberId", "idempotencyKey"),
            // One submission per claim slot of a member, activity and day; sparse, because a
            // rejection removes the claim (and submissions older than this rule have none).
            new IndexModel(
                Indexes.ascending(CLAIM), new IndexOptions().name(CLAIM).unique(true).sparse(true)),
            NamedIndexes.ascending("memberId", "createdAt"),
            NamedIndexes.ascending("communityId", "status", "createdAt"))
        // Approve and reject compare the status they found.
        .compose(v -> store.exactLookupIndex(collection, "status"));
  }

  @Override
  public Future<Boolean> insert(Submission submission, int slot) {
    Document document =
        toDocument(submission)
            .append(
                CLAIM,
                claim(
                    submission.memberId(), submission.activityId(), submission.occurredOn(), slot));
    return DuplicateKey.refusedAsFalse(Publishers.done(collection.insertOne(document)));
  }

  @Override
  public Future<Integer> claimsHeld(String memberId, String activityId, LocalDate day, int slots) {
    return Publishers.first(
            collection.countDocuments(in(CLAIM, claims(memberId, activityId, day, slots))))
        .map(Long::intValue);
  }

  @Override
  public Future<Submission> firstClaim(
      String memberId, String activityId, LocalDate day, int slots) {
    return Publishers.first(
            collection
                .find(in(CLAIM, claims(memberId, activityId, day, slots)))
                .sort(Sorts.ascending("createdAt"))
                .limit(1))
        .map(MongoSubmissions::toSubmission);
  }

  private static List<String> claims(String memberId, String activityId, LocalDate day, int slots) {
    return IntStream.range(0, slots)
        .mapToObj(slot -> claim(memberId, activityId, day, slot))
        .toList();
  }

  private static String claim(String memberId, String activityId, LocalDate day, int slot) {
    return memberId + "|" + activityId + "|" + day + "|" + slot;
  }

  @Override
  public Future<Submission> findById(String submissionId) {
    return Publishers.first(collection.find(eq("_id", submissionId)))
        .map(MongoSubmissions::toSubmission);
  }

  @Override
  public Future<List<Submission>> findByIds(Collection<String> submissionIds) {
    return IdLookup.byIds(collection, submissionIds)
        .map(documents -> documents.stream().map(MongoSubmissions::toSubmission).toList());
  }

  @Override
  public Future<Submission> findByIdempotencyKey(String memberId, String idempotencyKey) {
    return Publishers.first(
            collection.find(and(eq("memberId", memberId), eq("idempotencyKey", idempotencyKey))))
        .map(MongoSubmissions::toSubmission);
  }

  @Override
  public Future<Page<Submission>> listOfMember(String memberId, Cursor after, int limit) {
    return Paging.ofMember(collection, memberId, after, limit, MongoSubmissions::toSubmission);
  }

  @Override
  public Future<Page<Submission>> listOfCommunity(
      String communityId, SubmissionStatus status, Cursor after, int limit) {
    var filter =
        status == null
            ? eq("communityId", communityId)
            : and(eq("communityId", communityId), eq("status", status.name()));
    return Paging.page(
        collection, filter, "createdAt", after, limit, MongoSubmissions::toSubmission);
  }

  @Override
  public Future<List<ApprovalAttempt>> approveAll(
      List<Approving> approvals, String actor, Instant at, Lease firstLease) {
    if (approvals.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // A bulk write answers how many of its compare-and-sets matched, not which. When all did, each
    // submission is now what was found plus what was set. Otherwise the read-back tells: every
    // approval written here carries this call's own random token, so a submission holding it was
    // approved by this call, and any other was approved or rejected by someone else in between.
    String approval = UUID.randomUUID().toString();
    List<Approved> approved =
        approvals.stream()
            .map(
                approving ->
                    new Approved(
                        approving.pending(),
                        approvedFields(approving.award(), actor, at, approval, firstLease)))
            .toList();
    return Publishers.first(
            collection.bulkWrite(approved.stream().map(Approved::write).toList(), UNORDERED))
        .compose(
            result ->
                result.getMatchedCount() == approved.size()
                    ? Future.succeededFuture(
                        approved.stream()
                            .map(one -> new ApprovalAttempt(one.submission(), true))
                            .toList())
                    : approvalsReadBack(approvals, approval));
  }

  private Future<List<ApprovalAttempt>> approvalsReadBack(
      List<Approving> approvals, String approval) {
    return IdLookup.byIds(
            collection,
            approvals.stream().map(approving -> approving.pending().submissionId()).toList())
        .map(
            documents ->
                documents.stream()
                    .map(
                        document ->
                            new ApprovalAttempt(
                                toSubmission(document),
                                approval.equals(document.getString("approval"))))
                    .toList());
  }

  /** One compare-and-set from PENDING, and the submission it makes when it matches. */
  private record Approved(Submission pending, Document fields) {

    WriteModel<Document> write() {
      return new UpdateOneModel<>(pendingOne(pending.submissionId()), new Document("$set", fields));
    }

    Submission submission() {
      Document approved = toDocument(pending);
      approved.putAll(fields);
      return toSubmission(approved);
    }
  }

  /**
   * The status and the queued award command, set in one single-document update: no transaction is
   * needed.
   */
  private static Document approvedFields(
      Ledger.Award award, String actor, Instant at, String approval, Lease firstLease) {
    return new Document("status", SubmissionStatus.APPROVED.name())
        .append("approvedBy", actor)
        .append("approvedAt", Date.from(at))
        .append("updatedAt", Date.from(at))
        .append("approval", approval)
        .append("ledger", MongoLedgerOutbox.queuedAward(award, at, firstLease));
  }

  @Override
  public Future<Submission> reject(String submissionId, String actor, String reason, Instant at) {
    return Publishers.first(
            collection.findOneAndUpdate(
                pendingOne(submissionId),
                Updates.combine(
                    Updates.set("status", SubmissionStatus.REJECTED.name()),
                    Updates.set("rejectedBy", actor),
                    Updates.set("rejectionReason", reason),
                    Updates.set("updatedAt", Date.from(at)),
                    Updates.unset(CLAIM)),
                RETURN_UPDATED))
        .map(MongoSubmissions::toSubmission);
  }

  @Override
  public Future<Submission> requestReversal(
      Submission recorded, String actor, String reason, Instant at) {
    Document reversal =
        new Document("state", "QUEUED")
            .append("entryId", "rv_" + recorded.submissionId())
            .append("targetEntryId", recorded.submissionId())
            .append("reason", reason)
            .append("actor", actor)
            .append("queuedAt", Date.from(at))
            .append("attempts", 0)
            .append("leaseUntil", new Date(0));
    return Publishers.first(
            collection.findOneAndUpdate(
                and(
                    eq("_id", recorded.submissionId()),
                    eq("status", SubmissionStatus.RECORDED.name()),
                    exists("reversal", false)),
                Updates.combine(
                    Updates.set("reversal", reversal), Updates.set("updatedAt", Date.from(at))),
                RETURN_UPDATED))
        .map(MongoSubmissions::toSubmission);
  }

  /**
   * Flat, so the embedded store serves it from its {_id, status} lookup index ({@code and(..)}
   * renders as $and).
   */
  private static Document pendingOne(String submissionId) {
    return new Document("_id", submissionId).append("status", SubmissionStatus.PENDING.name());
  }

  private static Document toDocument(Submission submission) {
    Document document =
        new Document("_id", submission.submissionId())
            .append("memberId", submission.memberId())
            .append("activityId", submission.activityId())
            .append("communityId", submission.communityId())
            .append("ruleId", submission.ruleId())
            .append("ruleVersion", submission.ruleVersion())
            .append("category", submission.category().name())
            .append("units", submission.units())
            .append("occurredOn", submission.occurredOn().toString())
            .append("requestedPoints", submission.requestedPoints())
            .append("status", submission.status().name())
            .append("idempotencyKey", submission.idempotencyKey())
            .append("requestHash", submission.requestHash())
            .append("createdAt", Date.from(submission.createdAt()))
            .append("updatedAt", Date.from(submission.updatedAt()));
    if (submission.evidence() != null) {
      document.append("evidence", Documents.json(submission.evidence()));
    }
    if (submission.activityTitle() != null) {
      document.append("activityTitle", submission.activityTitle());
    }
    if (submission.filedBy() != null) {
      document.append("filedBy", submission.filedBy());
    }
    return document;
  }

  private static Submission toSubmission(Document document) {
    if (document == null) {
      return null;
    }
    Document evidence = document.get("evidence", Document.class);
    Document reversal = document.get("reversal", Document.class);
    return new Submission(
        document.getString("_id"),
        document.getString("memberId"),
        document.getString("activityId"),
        document.getString("communityId"),
        document.getString("ruleId"),
        Documents.number(document, "ruleVersion"),
        Category.valueOf(document.getString("category")),
        (int) Documents.number(document, "units"),
        LocalDate.parse(document.getString("occurredOn")),
        Documents.number(document, "requestedPoints"),
        Documents.fields(evidence),
        SubmissionStatus.valueOf(document.getString("status")),
        document.getString("idempotencyKey"),
        document.getString("requestHash"),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "updatedAt"),
        document.getString("approvedBy"),
        Documents.instant(document, "approvedAt"),
        document.getString("rejectedBy"),
        document.getString("rejectionReason"),
        ledgerOutcome(document.get("ledger", Document.class)),
        reversal == null ? null : reversal.getString("state"),
        document.getString("activityTitle"),
        reversal == null ? null : reversal.getString("reason"),
        document.getString("filedBy"));
  }

  /**
   * What the chain answered: the recorded award (block, points, cap reason) or the refusal reason;
   * null before.
   */
  private static Map<String, Object> ledgerOutcome(Document ledger) {
    if (ledger == null
        || (ledger.get("blockNumber") == null && ledger.getString("reason") == null)) {
      return null;
    }
    JsonObject outcome = new JsonObject().put("entryId", ledger.getString("entryId"));
    if (ledger.getString("txId") != null) {
      outcome.put("txId", ledger.getString("txId"));
    }
    for (String field : List.of("blockNumber", "points", "requestedPoints")) {
      if (ledger.get(field) != null) {
        outcome.put(field, Documents.number(ledger, field));
      }
    }
    if (ledger.getString("reason") != null) {
      outcome.put("reason", ledger.getString("reason"));
    }
    return outcome.getMap();
  }
}
