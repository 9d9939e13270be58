package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response check every API test relies on must itself fail on what the contract does not allow.
 */
class ContractCheckTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static MultiMap headers(String contentType) {
    return MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", contentType)
        .add("X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void a_body_with_a_wrong_type_fails_the_check() {
    Reply wrong = new Reply(200, headers("application/json"), Buffer.buffer("{\"memberId\": 5}"));
    assertThatThrownBy(() -> api.client.validate("getMe", wrong)).isNotNull();
  }

  @Test
  void an_undeclared_field_fails_the_check() {
    Reply leaky =
        new Reply(
            200,
            headers("application/json"),
            Buffer.buffer(
                "{\"items\":[{\"memberId\":\"m_aaaaaaaaaaaaaaaaaaaa\",\"displayName\":\"x\",\"roles\":[],\"scopes\":[],"
                    + "\"phoneMasked\":\"+86****\",\"partyMembership\":{\"status\":\"NONE\"},\"phone\":\"+8613800000000\"}]}"));
    assertThatThrownBy(() -> api.client.validate("listMembers", leaky)).isNotNull();
  }

  @Test
  void an_error_that_is_not_a_problem_fails_the_check() {
    Reply plain =
        new Reply(404, headers("application/json"), Buffer.buffer("{\"error\":\"not found\"}"));
    assertThatThrownBy(() -> api.client.validate("getMe", plain)).isNotNull();
  }
}
