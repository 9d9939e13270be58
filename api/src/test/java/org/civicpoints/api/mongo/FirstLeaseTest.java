package org.civicpoints.api.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox.Candidate;
import org.civicpoints.api.port.LedgerOutbox.Claimed;
import org.civicpoints.api.port.LedgerOutbox.Command;
import org.civicpoints.api.port.LedgerOutbox.CommandType;
import org.civicpoints.api.port.LedgerOutbox.Lease;
import org.civicpoints.api.port.Submissions.ApprovalAttempt;
import org.civicpoints.api.port.Submissions.Approving;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An approval queues its award under the approving instance's first lease: that instance's relay
 * sends it without a claim, and no other relay can claim it until the lease has lapsed or the relay
 * gave it up on stopping.
 */
class FirstLeaseTest {

  private static final Instant APPROVED_AT = Instant.parse("2026-11-27T10:00:00Z");
  private static final Lease FIRST = new Lease("api-first", APPROVED_AT.plusSeconds(30));

  private MongoServer server;
  private MongoStore store;
  private MongoSubmissions submissions;
  private MongoLedgerOutbox outbox;
  private MongoCollection<Document> collection;

  @BeforeEach
  void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    store =
        new MongoStore("mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), "first-lease");
    submissions = new MongoSubmissions(store);
    outbox = new MongoLedgerOutbox(store);
    collection = store.database().getCollection("submissions");
    await(submissions.createIndexes());
    await(outbox.createIndexes());
  }

  @AfterEach
  void stop() {
    store.close();
    server.shutdownNow();
  }

  @Test
  void the_approved_award_is_queued_under_the_first_lease_as_its_first_attempt() throws Exception {
    Submission pending = pending();
    await(submissions.insert(pending, 0));

    List<ApprovalAttempt> attempts =
        await(submissions.approveAll(List.of(approving(pending)), "staff-1", APPROVED_AT, FIRST));

    assertThat(attempts)
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.approvedHere()).isTrue();
              assertThat(attempt.submission().status()).isEqualTo(SubmissionStatus.APPROVED);
            });
    Document ledger =
        await(Publishers.first(collection.find(new Document("_id", pending.submissionId()))))
            .get("ledger", Document.class);
    assertThat(ledger.getString("state")).isEqualTo("QUEUED");
    assertThat(ledger.getString("leaseOwner")).isEqualTo("api-first");
    assertThat(ledger.getDate("leaseUntil").toInstant()).isEqualTo(FIRST.until());
    assertThat(ledger.getInteger("attempts")).isEqualTo(1);
    assertThat(ledger.get("award", Document.class).getString("actor")).isEqualTo("staff-1");
  }

  @Test
  void no_other_relay_finds_or_claims_it_while_the_first_lease_holds() throws Exception {
    Submission pending = approvedUnderFirstLease();
    Instant during = FIRST.until().minusSeconds(1);

    List<Candidate> queued = queuedAt(during);
    List<Claimed<Ledger.Award>> claimed = claimedByAnotherRelay(pending, during);

    assertThat(queued).isEmpty();
    assertThat(claimed).isEmpty();
  }

  @Test
  void once_the_first_lease_has_lapsed_another_relay_claims_it_for_the_second_attempt()
      throws Exception {
    Submission pending = approvedUnderFirstLease();
    Instant after = FIRST.until().plusSeconds(1);

    List<Candidate> queued = queuedAt(after);
    List<Claimed<Ledger.Award>> claimed = claimedByAnotherRelay(pending, after);

    assertThat(queued).extracting(Candidate::id).containsExactly(pending.submissionId());
    assertThat(claimed)
        .singleElement()
        .satisfies(
            award -> {
              assertThat(award.attempts()).isEqualTo(2);
              assertThat(award.command()).isEqualTo(approving(pending).award());
            });
  }

  @Test
  void a_released_first_lease_is_claimable_at_once_by_another_relay() throws Exception {
    Submission pending = approvedUnderFirstLease();
    Instant stopping = APPROVED_AT.plusSeconds(2);

    await(
        outbox.release(
            Command.AWARD,
            List.of(pending.submissionId()),
            "api-other",
            stopping)); // not its lease: no change
    assertThat(queuedAt(stopping.plusMillis(1))).isEmpty();
    await(outbox.release(Command.AWARD, List.of(pending.submissionId()), FIRST.owner(), stopping));
    List<Claimed<Ledger.Award>> claimed = claimedByAnotherRelay(pending, stopping.plusMillis(1));

    assertThat(claimed).extracting(Claimed::id).containsExactly(pending.submissionId());
  }

  /**
   * A pending submission, stored and approved under {@link #FIRST}; answered as it was before
   * approval.
   */
  private Submission approvedUnderFirstLease() throws Exception {
    Submission pending = pending();
    await(submissions.insert(pending, 0));
    await(submissions.approveAll(List.of(approving(pending)), "staff-1", APPROVED_AT, FIRST));
    return pending;
  }

  private List<Candidate> queuedAt(Instant now) throws Exception {
    return await(outbox.queued(Command.AWARD, now, 100, Set.of()));
  }

  /** Claimed at {@code now} by another instance's relay, for its own 30 s lease. */
  private List<Claimed<Ledger.Award>> claimedByAnotherRelay(Submission submission, Instant now)
      throws Exception {
    return await(
        outbox.claim(
            CommandType.AWARD,
            List.of(submission.submissionId()),
            "api-other",
            now,
            now.plus(Duration.ofSeconds(30))));
  }

  private static Approving approving(Submission pending) {
    return new Approving(
        pending,
        new Ledger.Award(
            pending.submissionId(),
            pending.memberId(),
            pending.ruleId(),
            pending.units(),
            pending.occurredOn().toString(),
            pending.communityId(),
            "staff-1"));
  }

  private static Submission pending() {
    String id = Ids.submissionId();
    return new Submission(
        id,
        Ids.memberId(),
        "act_1",
        "c_east",
        "rule_1",
        1,
        Category.VOLUNTEER,
        2,
        LocalDate.parse("2026-11-26"),
        20,
        null,
        SubmissionStatus.PENDING,
        "key-" + id,
        "hash",
        APPROVED_AT,
        APPROVED_AT,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
