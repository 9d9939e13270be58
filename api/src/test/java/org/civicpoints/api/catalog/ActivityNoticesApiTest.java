package org.civicpoints.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.SettableClock;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reminders of enrolled activities (60 minutes before, once, never for a cancelled one, not again
 * after a restart) and notices of a changed or cancelled activity, on a clock the test moves.
 */
class ActivityNoticesApiTest {

  private static final String BOOTSTRAP_ADMIN = "+8613700000051";
  private static final String EAST = "c-east-1a";
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MINUTES);

  private final SettableClock clock = new SettableClock(T0);
  private MongoServer mongo;
  private Path dataDir;
  private TestApi api;
  private ApiClient client;
  private SignedIn staff;
  private String ruleId;

  @BeforeEach
  void start() {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    dataDir = TestApi.temporaryDirectory();
    startApi();
    SignedIn admin = Sessions.signIn(client, new JsonObject().put("phone", BOOTSTRAP_ADMIN));
    staff = Sessions.withRoles(client, EAST, "STAFF");
    ruleId = new CatalogFixtures(client).rule(admin, "VOLUNTEER", 10);
  }

  @AfterEach
  void stop() {
    api.close();
    mongo.shutdownNow();
  }

  /** The same store and data directory each time: a restart. */
  private void startApi() {
    Map<String, String> environment =
        TestApi.devEnvironment(
            "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), "notices", dataDir);
    environment.put("FABRIC_DEVNET_PORT", "0");
    environment.put("BOOTSTRAP_ADMIN_PHONE", BOOTSTRAP_ADMIN);
    environment.put("CIVIC_REMINDER_MINUTES", "60");
    environment.put("CIVIC_REMINDER_PERIOD_SECONDS", "1");
    api = TestApi.startWith(ApiConfig.fromEnv(environment), null, dataDir, clock);
    client = api.client;
  }

  @Test
  void a_reminder_comes_an_hour_before_the_start_and_never_for_a_cancelled_activity() {
    String soon = activity("Soon", T0.plus(30, ChronoUnit.MINUTES));
    String later = activity("Later", T0.plus(3, ChronoUnit.HOURS));
    String cancelled = activity("Called off", T0.plus(3, ChronoUnit.HOURS));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    SignedIn bystander = Sessions.inCommunity(client, EAST);
    for (String activityId : new String[] {soon, later, cancelled}) {
      enroll(resident, activityId);
    }
    assertThat(
            client
                .post(
                    "cancelActivity",
                    "/v1/activities/" + cancelled + "/cancel",
                    null,
                    staff.accessToken())
                .status())
        .isEqualTo(200);
    assertThat(notices(resident, "ACTIVITY_CANCELLED")).isEqualTo(1);

    awaitNotices(resident, "ACTIVITY_REMINDER", 1);
    JsonObject reminder = newest(resident, "ACTIVITY_REMINDER", "en");
    assertThat(reminder.getJsonObject("data").getString("activityId")).isEqualTo(soon);
    assertThat(reminder.getString("body")).startsWith("\"Soon\", which you enrolled in, starts at");

    clock.set(T0.plus(2, ChronoUnit.HOURS).plus(5, ChronoUnit.MINUTES));
    resident = signedInAgain(resident); // the first access token expired on the way
    bystander = signedInAgain(bystander);
    awaitNotices(resident, "ACTIVITY_REMINDER", 2);
    JsonObject second = newest(resident, "ACTIVITY_REMINDER", null);
    assertThat(second.getJsonObject("data").getString("activityId")).isEqualTo(later);
    assertThat(second.getString("title")).isEqualTo("活动即将开始");
    // A member enrolled later is reminded in a later round; that round reminds nobody twice.
    SignedIn latecomer = Sessions.inCommunity(client, EAST);
    enroll(latecomer, later);
    awaitNotices(latecomer, "ACTIVITY_REMINDER", 1);
    assertThat(notices(resident, "ACTIVITY_REMINDER")).as("not the cancelled one").isEqualTo(2);
    assertThat(notices(bystander, null)).isZero();
  }

  @Test
  void a_reminder_is_sent_once_across_a_restart() {
    String soon = activity("Soon", T0.plus(30, ChronoUnit.MINUTES));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    enroll(resident, soon);
    awaitNotices(resident, "ACTIVITY_REMINDER", 1);

    api.close();
    startApi();
    SignedIn latecomer = Sessions.inCommunity(client, EAST);
    enroll(latecomer, soon);
    awaitNotices(latecomer, "ACTIVITY_REMINDER", 1);
    assertThat(notices(resident, "ACTIVITY_REMINDER")).isEqualTo(1);
  }

  @Test
  void a_new_time_is_news_to_the_enrolled_and_a_new_title_is_not() {
    String activityId = activity("Tree planting", T0.plus(2, ChronoUnit.DAYS));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    enroll(resident, activityId);

    assertThat(change(activityId, new JsonObject().put("title", "Tree planting day")).status())
        .isEqualTo(200);
    assertThat(notices(resident, "ACTIVITY_CHANGED")).isZero();

    Instant moved = T0.plus(3, ChronoUnit.DAYS);
    Reply changed =
        change(
            activityId,
            new JsonObject()
                .put("startsAt", moved.toString())
                .put("endsAt", moved.plus(2, ChronoUnit.HOURS).toString()));
    assertThat(changed.status()).isEqualTo(200);
    assertThat(notices(resident, "ACTIVITY_CHANGED")).isEqualTo(1);
    JsonObject notice = newest(resident, "ACTIVITY_CHANGED", "en");
    assertThat(notice.getString("title")).isEqualTo("Your activity changed");
    assertThat(notice.getJsonObject("data").getString("startsAt")).isEqualTo(moved.toString());
  }

  @Test
  void a_resident_cannot_change_or_cancel_an_activity_and_tells_nobody() {
    String activityId = activity("Tree planting", T0.plus(2, ChronoUnit.DAYS));
    SignedIn resident = Sessions.inCommunity(client, EAST);
    enroll(resident, activityId);
    Reply refused =
        client.post(
            "cancelActivity",
            "/v1/activities/" + activityId + "/cancel",
            null,
            resident.accessToken());
    assertThat(refused.status()).isIn(403, 404);
    assertThat(notices(resident, null)).isZero();
  }

  private String activity(String title, Instant startsAt) {
    JsonObject body =
        new JsonObject()
            .put("communityId", EAST)
            .put("type", "VOLUNTEER")
            .put("title", title)
            .put("ruleId", ruleId)
            .put("startsAt", startsAt.toString())
            .put("endsAt", startsAt.plus(2, ChronoUnit.HOURS).toString())
            .put("checkIn", "NONE");
    return new CatalogFixtures(client).activity(staff, body);
  }

  private void enroll(SignedIn member, String activityId) {
    Reply enrolled = new CatalogFixtures(client).enroll(member, activityId);
    assertThat(enrolled.status()).as("enroll: %s", enrolled.body()).isIn(200, 201);
  }

  private Reply change(String activityId, JsonObject change) {
    return client.patch(
        "changeActivity", "/v1/activities/" + activityId, change, staff.accessToken());
  }

  private long notices(SignedIn member, String kind) {
    Reply inbox =
        client.get("listNotifications", "/v1/me/notifications?limit=100", member.accessToken());
    assertThat(inbox.status()).isEqualTo(200);
    return inbox.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(n -> kind == null || kind.equals(n.getString("kind")))
        .count();
  }

  private void awaitNotices(SignedIn member, String kind, long count) {
    Eventually.until(count + " " + kind, WITHIN, () -> notices(member, kind) >= count);
    assertThat(notices(member, kind)).isEqualTo(count);
  }

  private SignedIn signedInAgain(SignedIn member) {
    return Sessions.signIn(client, new JsonObject().put("phone", member.phone()));
  }

  private JsonObject newest(SignedIn member, String kind, String language) {
    Reply inbox =
        client.send(
            "listNotifications",
            io.vertx.core.http.HttpMethod.GET,
            "/v1/me/notifications",
            null,
            member.accessToken(),
            language == null ? Map.of() : Map.of("Accept-Language", language));
    return inbox.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(n -> kind.equals(n.getString("kind")))
        .findFirst()
        .orElseThrow();
  }
}
