package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real points chaincode from chaincode/, hosted by the devnet, driven as the api drives it. */
class PointsChaincodeTest {

  private static final String RULE =
      """
            {"ruleId":"volunteer-hour","version":1,"category":"VOLUNTEER","points":10,"dailyCap":0,"yearlyCap":0,"active":true}""";

  @TempDir static Path dataDir;

  private static Devnet devnet;
  private static ManagedChannel channel;
  private static Gateway admin;
  private static Gateway relay;
  private static Gateway reader;

  @BeforeAll
  static void start() throws Exception {
    devnet = Devnet.start(DevnetConfig.of(dataDir, 0).withBlockCutting(100, Duration.ofMillis(50)));
    channel = GatewayClients.channel(devnet);
    admin = GatewayClients.gateway(channel, devnet.organization(), "admin");
    relay = GatewayClients.gateway(channel, devnet.organization(), "relay");
    reader = GatewayClients.gateway(channel, devnet.organization(), "reader");
    points(admin).submitTransaction("PutRule", RULE);
  }

  @AfterAll
  static void stop() throws Exception {
    admin.close();
    relay.close();
    reader.close();
    GatewayClients.shutdown(channel);
    devnet.close();
  }

  @Test
  void recorded_awards_show_in_the_members_account_and_as_an_event() throws Exception {
    long startBlock = devnet.height();
    SubmittedTransaction awards =
        points(relay)
            .newProposal("RecordAwards")
            .addArguments(awards("entry-1", "member-1"))
            .build()
            .endorse()
            .submitAsync();
    Status status = awards.getStatus();

    String account =
        new String(points(reader).evaluateTransaction("GetAccount", "member-1"), UTF_8);

    assertThat(status.isSuccessful()).isTrue();
    assertThat(new String(awards.getResult(), UTF_8)).contains("entry-1").contains("RECORDED");
    assertThat(account).contains("\"memberId\":\"member-1\"").contains("\"balance\":10");
    try (CloseableIterator<ChaincodeEvent> events =
        network(relay)
            .newChaincodeEventsRequest("points")
            .startBlock(startBlock)
            .build()
            .getEvents()) {
      ChaincodeEvent moved = events.next();
      assertThat(moved.getEventName()).isEqualTo("PointsMoved");
      assertThat(moved.getTransactionId()).isEqualTo(awards.getTransactionId());
      assertThat(new String(moved.getPayload(), UTF_8)).contains("member-1");
    }
  }

  @Test
  void a_repeated_entry_is_reported_as_duplicate_and_changes_nothing() throws Exception {
    points(relay).submitTransaction("RecordAwards", awards("entry-2", "member-2"));

    String repeat =
        new String(
            points(relay).submitTransaction("RecordAwards", awards("entry-2", "member-2")), UTF_8);

    assertThat(repeat).contains("DUPLICATE");
    assertThat(new String(points(reader).evaluateTransaction("GetAccount", "member-2"), UTF_8))
        .contains("\"balance\":10");
  }

  @Test
  void a_caller_without_the_writer_role_gets_the_chaincodes_error_code() {
    assertThatThrownBy(
            () -> points(reader).submitTransaction("RecordAwards", awards("entry-3", "member-3")))
        .isInstanceOfSatisfying(
            EndorseException.class,
            e ->
                assertThat(e.getDetails())
                    .extracting(ErrorDetail::getMessage)
                    .singleElement()
                    .asString()
                    .startsWith("chaincode response 500, FORBIDDEN: "));
  }

  @Test
  void metadata_describes_the_points_contract_as_a_peer_does() throws Exception {
    JSONObject metadata =
        new JSONObject(
            new String(
                network(reader)
                    .getContract("points", "org.hyperledger.fabric")
                    .evaluateTransaction("GetMetadata"),
                UTF_8));

    JSONObject contract = metadata.getJSONObject("contracts").getJSONObject("points");
    Map<String, List<Object>> tagsByTransaction = new TreeMap<>();
    contract
        .getJSONArray("transactions")
        .forEach(
            tx ->
                tagsByTransaction.put(
                    ((JSONObject) tx).getString("name"),
                    ((JSONObject) tx).getJSONArray("tags").toList()));
    assertThat(tagsByTransaction)
        .containsOnlyKeys(
            "PutRule",
            "RecordAwards",
            "Redeem",
            "Reverse",
            "RefundRedemption",
            "Expire",
            "GetAccount",
            "GetEntry",
            "GetRule",
            "ListEntries",
            "ListAccounts",
            "GetAccountHistory");
    assertThat(tagsByTransaction.get("RecordAwards")).contains("SUBMIT");
    assertThat(tagsByTransaction.get("GetAccount")).contains("EVALUATE");
    assertThat(metadata.getJSONObject("components").getJSONObject("schemas").keySet())
        .contains("Account", "Entry", "Rule");
  }

  private static String awards(String entryId, String memberId) {
    return """
                [{"entryId":"%s","memberId":"%s","ruleId":"volunteer-hour","units":1,"occurredOn":"%s",\
                "orgUnitId":"community-1","actor":"staff-1"}]"""
        .formatted(entryId, memberId, LocalDate.now(ZoneOffset.UTC));
  }

  private static Network network(Gateway gateway) {
    return gateway.getNetwork("civic");
  }

  private static Contract points(Gateway gateway) {
    return network(gateway).getContract("points");
  }
}
