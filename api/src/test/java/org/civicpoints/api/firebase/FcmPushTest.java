package org.civicpoints.api.firebase;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseOptions;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.mongo.MongoDeviceTokens;
import org.civicpoints.api.mongo.MongoInbox;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoNotificationSettings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.mongo.MongoSubmissions;
import org.civicpoints.api.service.NotificationService;
import org.civicpoints.api.support.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Push through the real Firebase Admin SDK to a loopback FCM stand-in: the SDK's HTTP transport
 * sends every request to a Vert.x server in this test, which records the v1 message JSON and
 * answers UNREGISTERED for one token.
 */
class FcmPushTest {

  private static final String PROJECT = "demo-push";
  private static final String GONE_TOKEN = "token-gone";

  private Vertx vertx;
  private HttpServer fcm;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private MongoServer mongo;
  private MongoStore store;
  private FcmPushSender sender;
  private NotificationService notifications;
  private MongoDeviceTokens devices;
  private MongoMembers members;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    fcm =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request
                        .body()
                        .onSuccess(
                            body -> {
                              JsonObject message = body.toJsonObject().getJsonObject("message");
                              received.add(
                                  new JsonObject()
                                      .put("path", request.path())
                                      .put("message", message));
                              if (GONE_TOKEN.equals(message.getString("token"))) {
                                request
                                    .response()
                                    .setStatusCode(404)
                                    .putHeader("Content-Type", "application/json")
                                    .end(
                                        new JsonObject()
                                            .put(
                                                "error",
                                                new JsonObject()
                                                    .put("code", 404)
                                                    .put(
                                                        "message",
                                                        "Requested entity was not found.")
                                                    .put("status", "NOT_FOUND")
                                                    .put(
                                                        "details",
                                                        List.of(
                                                            new JsonObject()
                                                                .put(
                                                                    "@type",
                                                                    "type.googleapis.com/google.firebase.fcm.v1.FcmError")
                                                                .put("errorCode", "UNREGISTERED"))))
                                            .encode());
                              } else {
                                request
                                    .response()
                                    .putHeader("Content-Type", "application/json")
                                    .end(
                                        new JsonObject()
                                            .put(
                                                "name",
                                                "projects/"
                                                    + PROJECT
                                                    + "/messages/"
                                                    + received.size())
                                            .encode());
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await();
    int port = fcm.actualPort();
    NetHttpTransport loopback =
        new NetHttpTransport.Builder()
            .setConnectionFactory(
                url ->
                    (HttpURLConnection)
                        new URL("http", "127.0.0.1", port, url.getFile()).openConnection())
            .build();
    FirebaseOptions options =
        FirebaseOptions.builder()
            .setProjectId(PROJECT)
            .setCredentials(
                GoogleCredentials.create(new AccessToken("test", new Date(Long.MAX_VALUE / 2))))
            .setHttpTransport(loopback)
            .build();
    sender = FcmPushSender.create(vertx, options);
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    store = new MongoStore("mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort(), "fcm_test");
    devices = new MongoDeviceTokens(store);
    members = new MongoMembers(store);
    notifications =
        new NotificationService(
            new MongoInbox(store),
            devices,
            sender,
            members,
            new MongoSubmissions(store),
            new MongoNotificationSettings(store),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    sender.close();
    store.close();
    mongo.shutdownNow();
    vertx.close().await();
  }

  @Test
  void a_notification_reaches_every_device_and_an_unregistered_token_is_pruned() {
    Caller member = new Caller("m_aaaaaaaaaaaaaaaaaaaa", Set.of(Role.RESIDENT), Set.of());
    notifications.registerDevice(member, "token-phone", "ANDROID").await();
    notifications.registerDevice(member, GONE_TOKEN, "IOS").await();

    notifications
        .notify(
            member.memberId(),
            NotificationKind.SUBMISSION_REJECTED,
            new JsonObject()
                .put("submissionId", "s_bbbbbbbbbbbbbbbbbbbb")
                .put("reason", "Not on the list"))
        .await();

    within(() -> received.size() == 2);
    JsonObject phone =
        received.stream()
            .map(r -> r.getJsonObject("message"))
            .filter(m -> "token-phone".equals(m.getString("token")))
            .findFirst()
            .orElseThrow();
    assertThat(received.get(0).getString("path"))
        .isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
    // A member who chose no language is told in Chinese.
    assertThat(phone.getJsonObject("notification").getString("title")).isEqualTo("提交未通过");
    assertThat(phone.getJsonObject("notification").getString("body"))
        .isEqualTo("工作人员未通过你参加某项活动的提交：Not on the list");
    assertThat(phone.getJsonObject("data").fieldNames())
        .containsExactlyInAnyOrder("notificationId", "kind", "submissionId", "reason");
    assertThat(phone.getJsonObject("data").getString("kind")).isEqualTo("SUBMISSION_REJECTED");
    within(() -> devices.tokensOf(member.memberId()).await().equals(List.of("token-phone")));
    assertThat(notifications.list(member, null, 10).await().items()).hasSize(1);
  }

  @Test
  void a_topic_the_member_turned_off_is_not_pushed_and_the_inbox_still_has_it() {
    Caller member = new Caller("m_eeeeeeeeeeeeeeeeeeee", Set.of(Role.RESIDENT), Set.of());
    notifications.registerDevice(member, "token-quiet", "ANDROID").await();
    notifications.changePreferences(member, false, null, null).await();

    notifications
        .notify(member.memberId(), NotificationKind.ACTIVITY_REMINDER, new JsonObject())
        .await();
    // push() completes once it sent or left the push out: awaited, nothing may have been sent.
    notifications
        .push(
            new InboxNotification(
                "n_eeeeeeeeeeeeeeeeeeee",
                member.memberId(),
                NotificationKind.ACTIVITY_REMINDER,
                Map.of(),
                Instant.now(),
                null))
        .await();
    assertThat(received).isEmpty();
    notifications
        .notify(member.memberId(), NotificationKind.SUBMISSION_RECORDED, new JsonObject())
        .await();

    within(() -> received.size() == 1);
    assertThat(pushedTo("token-quiet").getJsonObject("data").getString("kind"))
        .isEqualTo("SUBMISSION_RECORDED");
    assertThat(notifications.list(member, null, 10).await().items()).hasSize(2);
  }

  @Test
  void without_devices_nothing_is_sent_and_the_inbox_still_has_the_notification() {
    Caller member = new Caller("m_cccccccccccccccccccc", Set.of(Role.RESIDENT), Set.of());
    notifications
        .notify(member.memberId(), NotificationKind.SUBMISSION_RECORDED, new JsonObject())
        .await();
    assertThat(notifications.list(member, null, 10).await().items()).hasSize(1);
    assertThat(received).isEmpty();
  }

  @Test
  void a_member_who_chose_english_is_pushed_english_and_one_who_chose_chinese_chinese() {
    Caller english = memberReading(Language.EN, "+8613900000101");
    Caller chinese = memberReading(Language.ZH_CN, "+8613900000102");
    notifications.registerDevice(english, "token-en", "IOS").await();
    notifications.registerDevice(chinese, "token-zh", "ANDROID").await();
    JsonObject recorded =
        new JsonObject().put("submissionId", "s_dddddddddddddddddddd").put("points", 20);

    notifications
        .notify(english.memberId(), NotificationKind.SUBMISSION_RECORDED, recorded)
        .await();
    notifications
        .notify(chinese.memberId(), NotificationKind.SUBMISSION_RECORDED, recorded)
        .await();

    within(() -> received.size() == 2);
    assertThat(pushedTo("token-en").getJsonObject("notification"))
        .isEqualTo(
            new JsonObject()
                .put("title", "Points recorded")
                .put("body", "20 points for an activity are on the ledger."));
    assertThat(pushedTo("token-zh").getJsonObject("notification"))
        .isEqualTo(new JsonObject().put("title", "积分已入账").put("body", "你参加某项活动的提交获得 20 积分，已记入账本。"));
  }

  private Caller memberReading(Language language, String phone) {
    Member member =
        members
            .findOrCreateByPhone(
                new Member(
                    Ids.memberId(),
                    phone,
                    null,
                    "Resident",
                    null,
                    Set.of(Role.RESIDENT),
                    Set.of(),
                    null,
                    LeaderboardVisibility.MASKED,
                    PartyMembership.NONE,
                    Instant.now(),
                    language,
                    null,
                    null))
            .await();
    return new Caller(member.memberId(), member.roles(), member.scopes());
  }

  private JsonObject pushedTo(String token) {
    return received.stream()
        .map(r -> r.getJsonObject("message"))
        .filter(m -> token.equals(m.getString("token")))
        .findFirst()
        .orElseThrow();
  }

  private static void within(BooleanSupplier condition) {
    Eventually.until("the push", Duration.ofSeconds(15), condition);
  }
}
