package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Proposal;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluate, submit and validation at commit, through the real fabric-gateway client over TLS. */
class TransactionFlowTest {

  @TempDir static Path dataDir;

  private static Devnet devnet;
  private static ManagedChannel channel;
  private static Gateway relay;
  private static Contract kv;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
    channel = GatewayClients.channel(devnet);
    relay = GatewayClients.gateway(channel, devnet.organization(), "relay");
    kv = relay.getNetwork("civic").getContract("points", "kv");
  }

  @AfterAll
  static void stop() throws Exception {
    relay.close();
    GatewayClients.shutdown(channel);
    devnet.close();
  }

  @Test
  void submitted_writes_are_read_by_later_evaluations() throws Exception {
    kv.submitTransaction("Put", "colour", "green");

    assertThat(new String(kv.evaluateTransaction("Get", "colour"), UTF_8)).isEqualTo("green");
    assertThat(kv.evaluateTransaction("Get", "never-written")).isEmpty();
  }

  @Test
  void submit_returns_the_chaincode_result_and_evaluate_changes_nothing() throws Exception {
    assertThat(new String(kv.evaluateTransaction("Increment", "evaluated"), UTF_8)).isEqualTo("1");
    assertThat(new String(kv.evaluateTransaction("Increment", "evaluated"), UTF_8)).isEqualTo("1");

    assertThat(new String(kv.submitTransaction("Increment", "evaluated"), UTF_8)).isEqualTo("1");
    assertThat(new String(kv.submitTransaction("Increment", "evaluated"), UTF_8)).isEqualTo("2");
  }

  @Test
  void submit_async_then_status_reports_the_block_and_code() throws Exception {
    long heightBefore = devnet.height();
    SubmittedTransaction submitted =
        kv.newProposal("Put").addArguments("async", "yes").build().endorse().submitAsync();

    Status status = submitted.getStatus();

    assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(status.isSuccessful()).isTrue();
    assertThat(status.getBlockNumber()).isGreaterThanOrEqualTo(heightBefore);
    assertThat(status.getTransactionId()).isEqualTo(submitted.getTransactionId());
    assertThat(new String(kv.evaluateTransaction("Get", "async"), UTF_8)).isEqualTo("yes");
  }

  @Test
  void two_transactions_reading_and_writing_one_key_conflict() throws Exception {
    Transaction first = kv.newProposal("Increment").addArguments("contended").build().endorse();
    Transaction second = kv.newProposal("Increment").addArguments("contended").build().endorse();

    Status firstStatus = first.submitAsync().getStatus();
    Status secondStatus = second.submitAsync().getStatus();

    assertThat(firstStatus.getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(secondStatus.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
    assertThat(new String(kv.evaluateTransaction("Get", "contended"), UTF_8)).isEqualTo("1");
  }

  @Test
  void a_conflict_invalidates_the_later_transaction_of_the_same_block() throws Exception {
    devnet.faults().pauseCommits();
    SubmittedTransaction first;
    SubmittedTransaction second;
    try {
      first =
          kv.newProposal("Increment").addArguments("same-block").build().endorse().submitAsync();
      second =
          kv.newProposal("Increment").addArguments("same-block").build().endorse().submitAsync();
    } finally {
      devnet.faults().resumeCommits();
    }

    Status firstStatus = first.getStatus();
    Status secondStatus = second.getStatus();

    assertThat(firstStatus.getBlockNumber()).isEqualTo(secondStatus.getBlockNumber());
    assertThat(firstStatus.getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(secondStatus.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
  }

  @Test
  void a_range_that_gained_a_key_is_a_phantom_read() throws Exception {
    kv.submitTransaction("PutItem", "phantom", "a", "1");
    Transaction count = kv.newProposal("CountItems").addArguments("phantom").build().endorse();
    assertThat(new String(count.getResult(), UTF_8)).isEqualTo("1");

    kv.submitTransaction("PutItem", "phantom", "b", "2");
    Status status = count.submitAsync().getStatus();

    assertThat(status.getCode()).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    assertThat(kv.evaluateTransaction("Get", "count~phantom")).isEmpty();
  }

  @Test
  void a_key_added_earlier_in_the_same_block_is_a_phantom_for_a_later_range() throws Exception {
    kv.submitTransaction("PutItem", "same-block-range", "a", "1");
    Transaction insert =
        kv.newProposal("PutItem").addArguments("same-block-range", "b", "2").build().endorse();
    Transaction count =
        kv.newProposal("CountItems").addArguments("same-block-range").build().endorse();
    devnet.faults().pauseCommits();
    SubmittedTransaction inserted;
    SubmittedTransaction counted;
    try {
      inserted = insert.submitAsync();
      counted = count.submitAsync();
    } finally {
      devnet.faults().resumeCommits();
    }

    assertThat(inserted.getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(counted.getStatus().getCode()).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
    assertThat(counted.getStatus().getBlockNumber())
        .isEqualTo(inserted.getStatus().getBlockNumber());
  }

  @Test
  void a_range_read_only_in_part_is_validated_only_as_far_as_the_peer_fetched_it()
      throws Exception {
    kv.submitTransaction("PutItems", "partial", "150"); // id-000 .. id-149
    Transaction fetchedFirstBatch =
        kv.newProposal("FirstItem").addArguments("partial").build().endorse();
    Transaction alsoFetchedFirstBatch =
        kv.newProposal("FirstItem").addArguments("partial").build().endorse();

    // The chaincode read one item, the peer fetched the first 100 (id-000 .. id-099).
    kv.submitTransaction("PutItem", "partial", "id-120", "beyond the fetched batch");
    assertThat(fetchedFirstBatch.submitAsync().getStatus().getCode())
        .isEqualTo(TxValidationCode.VALID);

    kv.submitTransaction("PutItem", "partial", "id-050a", "inside the fetched batch");
    assertThat(alsoFetchedFirstBatch.submitAsync().getStatus().getCode())
        .isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
  }

  @Test
  void a_key_deleted_from_a_range_is_a_phantom() throws Exception {
    kv.submitTransaction("PutItem", "shrinking", "a", "1");
    kv.submitTransaction("PutItem", "shrinking", "b", "2");
    Transaction count = kv.newProposal("CountItems").addArguments("shrinking").build().endorse();
    Transaction delete =
        kv.newProposal("Delete")
            .addArguments("\u0000item\u0000shrinking\u0000b\u0000")
            .build()
            .endorse();

    assertThat(delete.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(count.submitAsync().getStatus().getCode())
        .isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
  }

  @Test
  void an_unchanged_range_commits() throws Exception {
    kv.submitTransaction("PutItem", "steady", "a", "1");
    Transaction count = kv.newProposal("CountItems").addArguments("steady").build().endorse();
    kv.submitTransaction("PutItem", "elsewhere", "z", "9");

    assertThat(count.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(new String(kv.evaluateTransaction("Get", "count~steady"), UTF_8)).isEqualTo("1");
  }

  @Test
  void resubmitting_a_committed_transaction_is_a_duplicate() throws Exception {
    Transaction put = kv.newProposal("Put").addArguments("dup", "once").build().endorse();
    Status first = put.submitAsync().getStatus();

    put.submitAsync();

    assertThat(first.getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(CommittedCodes.of(devnet, put.getTransactionId(), first.getBlockNumber(), 2))
        .containsExactly(TxValidationCode.VALID, TxValidationCode.DUPLICATE_TXID);
  }

  @Test
  void a_proposal_whose_transaction_is_committed_is_not_endorsed_again() throws Exception {
    Proposal proposal = kv.newProposal("Put").addArguments("endorsed-once", "yes").build();
    assertThat(proposal.endorse().submitAsync().getStatus().isSuccessful()).isTrue();

    assertThatThrownBy(proposal::endorse)
        .isInstanceOfSatisfying(
            EndorseException.class,
            e ->
                assertThat(e.getDetails())
                    .extracting(ErrorDetail::getMessage)
                    .singleElement()
                    .asString()
                    .contains("duplicate transaction found [" + proposal.getTransactionId() + "]"));
  }

  @Test
  void a_chaincode_error_reaches_the_client_as_a_peer_shapes_it() {
    assertThatThrownBy(() -> kv.submitTransaction("Fail", "KV_NOPE: no such thing"))
        .isInstanceOfSatisfying(
            EndorseException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("failed to endorse transaction, see attached details for more info");
              ErrorDetail detail = e.getDetails().get(0);
              assertThat(detail.getMessage())
                  .isEqualTo("chaincode response 500, KV_NOPE: no such thing");
              assertThat(detail.getMspId()).isEqualTo("CivicMSP");
              assertThat(detail.getAddress()).isEqualTo(devnet.endpoint());
            });

    assertThatThrownBy(() -> kv.evaluateTransaction("Fail", "KV_NOPE: no such thing"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNKNOWN);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo(
                      "evaluate call to endorser returned error: chaincode response 500, KV_NOPE: no such thing");
              assertThat(e.getDetails())
                  .extracting(ErrorDetail::getMessage)
                  .containsExactly("chaincode response 500, KV_NOPE: no such thing");
            });
  }

  @Test
  void chaincode_sees_the_callers_attributes_and_the_proposal_timestamp() throws Exception {
    long before = System.currentTimeMillis();
    String[] relayView = new String(kv.evaluateTransaction("WhoAmI"), UTF_8).split("\\|");
    long after = System.currentTimeMillis();

    assertThat(relayView[0]).isEqualTo("CivicMSP");
    assertThat(relayView[1]).isEqualTo("ledger-writer");
    assertThat(Long.parseLong(relayView[2])).isBetween(before - 1000, after + 1000);
    try (Gateway admin = GatewayClients.gateway(channel, devnet.organization(), "admin");
        Gateway reader = GatewayClients.gateway(channel, devnet.organization(), "reader")) {
      assertThat(
              new String(
                  admin
                      .getNetwork("civic")
                      .getContract("points", "kv")
                      .evaluateTransaction("WhoAmI"),
                  UTF_8))
          .startsWith("CivicMSP|rules-admin|");
      assertThat(
              new String(
                  reader
                      .getNetwork("civic")
                      .getContract("points", "kv")
                      .evaluateTransaction("WhoAmI"),
                  UTF_8))
          .startsWith("CivicMSP|null|");
    }
  }

  @Test
  void history_lists_every_write_newest_first_with_deletes() throws Exception {
    Status put1 =
        kv.newProposal("Put")
            .addArguments("tracked", "v1")
            .build()
            .endorse()
            .submitAsync()
            .getStatus();
    Status put2 =
        kv.newProposal("Put")
            .addArguments("tracked", "v2")
            .build()
            .endorse()
            .submitAsync()
            .getStatus();
    Status delete =
        kv.newProposal("Delete")
            .addArguments("tracked")
            .build()
            .endorse()
            .submitAsync()
            .getStatus();

    String[] history = new String(kv.evaluateTransaction("History", "tracked"), UTF_8).split(";");

    assertThat(history).hasSize(3);
    assertThat(history[0]).startsWith(delete.getTransactionId() + "::true:");
    assertThat(history[1]).startsWith(put2.getTransactionId() + ":v2:false:");
    assertThat(history[2]).startsWith(put1.getTransactionId() + ":v1:false:");
    assertThat(kv.evaluateTransaction("Get", "tracked")).isEmpty();
  }

  @Test
  void partial_composite_keys_page_with_bookmarks() throws Exception {
    for (String id : new String[] {"a", "b", "c", "d", "e"}) {
      kv.newProposal("PutItem")
          .addArguments("paged", id, id.toUpperCase())
          .build()
          .endorse()
          .submitAsync();
    }
    kv.submitTransaction("PutItem", "paged-other", "x", "X");
    kv.submitTransaction("PutItem", "paged", "f", "F");

    String first = new String(kv.evaluateTransaction("PageItems", "paged", "4", ""), UTF_8);
    String bookmark = first.substring(first.indexOf('|') + 1);
    String second = new String(kv.evaluateTransaction("PageItems", "paged", "4", bookmark), UTF_8);

    assertThat(first).startsWith("a,b,c,d|");
    assertThat(second).isEqualTo("e,f|");
  }

  @Test
  void a_committed_transaction_is_not_what_endorsement_saw() throws Exception {
    Transaction stale =
        kv.newProposal("Put").addArguments("blind-write", "first").build().endorse();
    kv.submitTransaction("Put", "blind-write", "second");

    // A blind write reads nothing, so a later commit of it is valid and wins.
    assertThat(stale.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(new String(kv.evaluateTransaction("Get", "blind-write"), UTF_8)).isEqualTo("first");
  }

  @Test
  void commit_exception_carries_the_validation_code() throws Exception {
    Transaction first = kv.newProposal("Increment").addArguments("thrown").build().endorse();
    Transaction second = kv.newProposal("Increment").addArguments("thrown").build().endorse();
    first.submit();

    assertThatThrownBy(second::submit)
        .isInstanceOfSatisfying(
            CommitException.class,
            e -> assertThat(e.getCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT));
  }
}
