package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.CallOption;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults a client's retry logic must survive. */
class FaultsTest {

  @TempDir Path dataDir;

  private Devnet devnet;
  private ManagedChannel channel;
  private Gateway gateway;
  private Contract kv;

  @BeforeEach
  void start() throws Exception {
    devnet = Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
    channel = GatewayClients.channel(devnet);
    gateway = GatewayClients.gateway(channel, devnet.organization(), "relay");
    kv = gateway.getNetwork("civic").getContract("points", "kv");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    GatewayClients.shutdown(channel);
    devnet.close();
  }

  @Test
  void the_next_endorsements_fail_with_unavailable_then_service_recovers() throws Exception {
    devnet.faults().failNextEndorsements(2);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> kv.submitTransaction("Put", "retried", "yes"))
          .isInstanceOfSatisfying(
              EndorseException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    }
    kv.submitTransaction("Put", "retried", "yes");

    assertThat(new String(kv.evaluateTransaction("Get", "retried"), UTF_8)).isEqualTo("yes");
  }

  @Test
  void a_failed_submit_orders_nothing_and_the_same_transaction_can_be_resubmitted()
      throws Exception {
    Transaction transaction =
        kv.newProposal("Put").addArguments("resubmitted", "yes").build().endorse();
    devnet.faults().failNextSubmits(1);

    assertThatThrownBy(transaction::submitAsync)
        .isInstanceOfSatisfying(
            SubmitException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    assertThat(kv.evaluateTransaction("Get", "resubmitted")).isEmpty();

    assertThat(transaction.submitAsync().getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
  }

  @Test
  void the_next_evaluations_fail_with_unavailable() throws Exception {
    devnet.faults().failNextEvaluations(1);

    assertThatThrownBy(() -> kv.evaluateTransaction("Get", "x"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));
    assertThat(kv.evaluateTransaction("Get", "x")).isEmpty();
  }

  @Test
  void paused_commits_keep_commit_status_waiting_until_resumed() throws Exception {
    devnet.faults().pauseCommits();
    SubmittedTransaction submitted =
        kv.newProposal("Put").addArguments("paused", "yes").build().endorse().submitAsync();

    assertThatThrownBy(
            () -> submitted.getStatus(CallOption.deadlineAfter(300, TimeUnit.MILLISECONDS)))
        .isInstanceOfSatisfying(
            CommitStatusException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED));
    assertThat(kv.evaluateTransaction("Get", "paused")).isEmpty();

    devnet.faults().resumeCommits();

    assertThat(submitted.getStatus().getCode()).isEqualTo(TxValidationCode.VALID);
    assertThat(new String(kv.evaluateTransaction("Get", "paused"), UTF_8)).isEqualTo("yes");
  }

  @Test
  void commit_status_can_be_delayed() throws Exception {
    devnet.faults().delayCommitStatus(Duration.ofMillis(400));
    SubmittedTransaction submitted =
        kv.newProposal("Put").addArguments("slow", "yes").build().endorse().submitAsync();
    TestWaits.until(() -> devnet.height() > 1, Duration.ofSeconds(5));

    long started = System.nanoTime();
    assertThat(submitted.getStatus().isSuccessful()).isTrue();

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));
  }

  @Test
  void a_stopped_server_is_unavailable_and_comes_back_on_the_same_port_with_its_ledger()
      throws Exception {
    kv.submitTransaction("Put", "survivor", "yes");
    int port = devnet.port();

    devnet.faults().stopServer();
    assertThatThrownBy(() -> kv.evaluateTransaction("Get", "survivor"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE));

    devnet.faults().restartServer();

    assertThat(devnet.port()).isEqualTo(port);
    // The channel is in reconnect backoff; a client that waits for readiness gets through.
    channel.resetConnectBackoff();
    byte[] value =
        kv.newProposal("Get")
            .addArguments("survivor")
            .build()
            .evaluate(
                options -> options.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS));
    assertThat(new String(value, UTF_8)).isEqualTo("yes");
  }
}
