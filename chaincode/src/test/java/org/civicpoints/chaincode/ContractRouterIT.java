package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.contract.ScannedContractRouter;
import org.hyperledger.fabric.shim.Chaincode.Response;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract as the devnet and a peer reach it: through the shim's ContractRouter after its
 * classpath scan, with arguments as a peer sends them and errors as a peer shapes them.
 */
class ContractRouterIT {
  private static ContractRouter router;
  private final InMemoryLedger ledger = new InMemoryLedger();
  private int sequence;

  @BeforeAll
  static void bootRouterOnce() {
    router = ScannedContractRouter.boot("points:test");
  }

  private Response invoke(final byte[] identity, final String... args) {
    final InMemoryStub stub =
        new InMemoryStub(
            ledger,
            "tx" + ++sequence,
            Instant.parse("2026-03-10T10:00:00Z").plusSeconds(sequence),
            identity,
            List.of(args));
    final Response response = router.invoke(stub);
    if (response.getStatus() == Response.Status.SUCCESS) {
      ledger.commit(stub);
    }
    return response;
  }

  @Test
  void routes_transactions_by_bare_and_qualified_names() {
    final Response rule =
        invoke(
            TestIdentities.RULES_ADMIN,
            "PutRule",
            LedgerStubFixture.rule("r1", 1, 10, 0, 0).toString());
    assertThat(rule.getStatus()).isEqualTo(Response.Status.SUCCESS);

    final Response awards =
        invoke(
            TestIdentities.LEDGER_WRITER,
            "points:RecordAwards",
            LedgerStubFixture.batch(LedgerStubFixture.award("e1", "m1", "r1", 2)));
    assertThat(awards.getStatus()).isEqualTo(Response.Status.SUCCESS);
    assertThat(new JSONArray(awards.getStringPayload()).getJSONObject(0).getLong("points"))
        .isEqualTo(20);

    final Response account = invoke(TestIdentities.NO_ROLE, "GetAccount", "m1");
    assertThat(new JSONObject(account.getStringPayload()).getLong("balance")).isEqualTo(20);

    final Response page = invoke(TestIdentities.NO_ROLE, "ListEntries", "m1", "10", "");
    assertThat(new JSONObject(page.getStringPayload()).getInt("fetchedCount")).isEqualTo(1);
  }

  @Test
  void a_business_error_reaches_the_peer_as_a_message_starting_with_its_code() {
    final Response response =
        invoke(
            TestIdentities.LEDGER_WRITER,
            "Redeem",
            LedgerStubFixture.redemption("x1", "nobody", 5).toString());

    assertThat(response.getStatus()).isEqualTo(Response.Status.INTERNAL_SERVER_ERROR);
    assertThat(response.getMessage()).isEqualTo("NOT_FOUND: account nobody does not exist");
    assertThat(new String(response.getPayload(), StandardCharsets.UTF_8)).isEqualTo("NOT_FOUND");
  }

  @Test
  void a_caller_without_role_is_forbidden() {
    final Response response =
        invoke(
            TestIdentities.NO_ROLE,
            "PutRule",
            LedgerStubFixture.rule("r1", 1, 10, 0, 0).toString());

    assertThat(response.getMessage()).startsWith("FORBIDDEN: ");
  }

  @Test
  void publishes_contract_metadata() {
    final Response metadata = invoke(TestIdentities.NO_ROLE, "org.hyperledger.fabric:GetMetadata");

    final JSONObject contract =
        new JSONObject(metadata.getStringPayload())
            .getJSONObject("contracts")
            .getJSONObject("points");
    assertThat(contract.getJSONArray("transactions").toList()).hasSize(12);
    assertThat(
            new JSONObject(metadata.getStringPayload())
                .getJSONObject("components")
                .getJSONObject("schemas")
                .keySet())
        .contains("Account", "Entry", "Rule");
  }
}
