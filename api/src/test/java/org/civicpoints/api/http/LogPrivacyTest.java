package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Phone numbers are personal data: whatever a request carries, no log line repeats them. */
class LogPrivacyTest {

  @Test
  void phone_numbers_never_reach_the_log_and_every_request_line_has_a_trace_id() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger access = (Logger) LoggerFactory.getLogger("org.civicpoints.api.access");
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    Level accessLevel = access.getLevel();
    access.setLevel(Level.INFO);
    String phone = Sessions.freshPhone();
    try (TestApi api = TestApi.start()) {
      SignedIn resident =
          Sessions.signIn(
              api.client, new JsonObject().put("phone", phone).put("communityId", "c-west-1a"));
      SignedIn staff = Sessions.withRoles(api.client, "c-west-1a", "STAFF");
      api.client.get("listMembers", "/v1/members?communityId=c-west-1a", staff.accessToken());
      api.client.patch(
          "updateMe", "/v1/me", new JsonObject().put("displayName", phone), resident.accessToken());
      api.client.post(
          "signInForDevelopment",
          "/v1/auth/dev",
          new JsonObject().put("phone", phone.substring(1)),
          null);
    } finally {
      root.detachAppender(captured);
      access.setLevel(accessLevel);
    }
    List<ILoggingEvent> events = List.copyOf(captured.list);
    String digits = phone.substring(1);
    assertThat(events).isNotEmpty();
    assertThat(events).allSatisfy(event -> assertThat(everythingIn(event)).doesNotContain(digits));
    assertThat(events.stream().filter(e -> e.getLoggerName().equals("org.civicpoints.api.access")))
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(
            e ->
                assertThat(e.getKeyValuePairs())
                    .anySatisfy(kv -> assertThat(kv.key).isEqualTo("traceId")));
  }

  private static String everythingIn(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      event
          .getKeyValuePairs()
          .forEach(kv -> text.append(' ').append(kv.key).append('=').append(kv.value));
    }
    if (event.getThrowableProxy() != null) {
      text.append(' ').append(event.getThrowableProxy().getMessage());
    }
    return text.toString();
  }
}
