package org.civicpoints.api.privacy;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.bson.Document;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.mongo.MongoMembers;
import org.civicpoints.api.mongo.MongoOrgUnits;
import org.civicpoints.api.mongo.MongoStandings;
import org.civicpoints.api.mongo.MongoStore;
import org.civicpoints.api.service.OrganisationService;
import org.civicpoints.api.service.StandingsProjection;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.MovableClock;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Personal-data rights over HTTP: consents recorded and in force on the next board read, the data
 * export (streamed, and prepared in the background for its owner only, once), and deleting an
 * account. Points reach the boards through the standings projection fed directly; the server's
 * clock only moves forward, and each test has members (and a board year) of its own.
 */
class DataRightsApiTest {

  private static final String ADMIN_PHONE = "+8613700000078";
  private static final String TEXT_VERSION = "2026-12-01";
  private static final MovableClock clock = new MovableClock();
  private static final AtomicLong nextBlock = new AtomicLong(1);
  private static TestApi api;
  private static ApiClient client;
  private static MongoStore store;
  private static MongoProbe mongo;
  private static StandingsProjection projection;

  @BeforeAll
  static void start() {
    api = TestApi.start(Map.of("BOOTSTRAP_ADMIN_PHONE", ADMIN_PHONE), clock);
    client = api.client;
    store = api.openStore();
    mongo = api.mongoProbe();
    OrganisationService organisation = new OrganisationService(new MongoOrgUnits(store));
    organisation.reload().await();
    projection =
        new StandingsProjection(
            new MongoStandings(store),
            new MongoMembers(store),
            organisation,
            Clock.system(ZoneId.of("Asia/Shanghai")));
  }

  @AfterAll
  static void stop() {
    mongo.close();
    store.close();
    api.close();
  }

  /** Points on the boards of the member's community (and branch), as the projector gives them. */
  private static void award(SignedIn member, String communityId, int year, long points) {
    long block = nextBlock.getAndIncrement() + 1_000_000;
    MovedEntry entry =
        new MovedEntry(
            new ChainPosition(block, 0, 0),
            "tx" + block,
            "s_" + block,
            member.memberId(),
            EntryKind.AWARD,
            points,
            "VOLUNTEER",
            communityId,
            LocalDate.of(year, 6, 1),
            0,
            Map.of(),
            Map.of());
    projection.apply(List.of(entry)).await();
  }

  private static SignedIn admin() {
    return Sessions.signIn(client, new JsonObject().put("phone", ADMIN_PHONE));
  }

  private static JsonArray board(String query, SignedIn reader) {
    Reply reply = client.get("getLeaderboard", "/v1/leaderboards?" + query, reader.accessToken());
    assertThat(reply.status()).as("board %s: %s", query, reply.body()).isEqualTo(200);
    return reply.json().getJsonArray("entries");
  }

  private static List<String> ids(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("memberId")).toList();
  }

  private static Reply consents(SignedIn member) {
    return client.get("listMyConsents", "/v1/me/consents", member.accessToken());
  }

  private static Reply consent(SignedIn member, String purpose, Object body) {
    return client.send(
        "recordConsent", HttpMethod.PUT, "/v1/me/consents/" + purpose, body, member.accessToken());
  }

  private static JsonObject choice(String choice) {
    return new JsonObject().put("choice", choice).put("textVersion", TEXT_VERSION);
  }

  private static JsonObject current(Reply consents, String purpose) {
    return consents.json().getJsonArray("current").stream()
        .map(JsonObject.class::cast)
        .filter(c -> purpose.equals(c.getString("purpose")))
        .findFirst()
        .orElseThrow();
  }

  private static Reply deleteMe(SignedIn member) {
    return client.delete("deleteMe", "/v1/me", member.accessToken());
  }

  private static String uploadPhoto(SignedIn member) {
    Reply reply =
        client.sendRaw(
            "uploadEvidence",
            HttpMethod.POST,
            "/v1/evidence",
            Buffer.buffer(jpeg()),
            Map.of(
                "Content-Type", "image/jpeg", "Authorization", "Bearer " + member.accessToken()));
    assertThat(reply.status()).as("upload: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("evidenceId");
  }

  private static byte[] jpeg() {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 64; x++) {
      for (int y = 0; y < 48; y++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 5) << 8 | 90);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The ZIP's entries, by name. */
  private static Map<String, byte[]> unzip(Buffer body) {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(body.getBytes()))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  private static JsonArray json(Map<String, byte[]> zip, String name) {
    assertThat(zip).containsKey(name);
    return new JsonArray(Buffer.buffer(zip.get(name)));
  }

  @Nested
  class Consents {
    @Test
    void choices_are_recorded_with_time_and_text_version_profile_changes_included() {
      SignedIn member = Sessions.resident(client);
      Reply before = consents(member);
      assertThat(before.status()).isEqualTo(200);
      assertThat(current(before, "LEADERBOARD_VISIBILITY").getString("choice")).isEqualTo("MASKED");
      assertThat(current(before, "LEADERBOARD_VISIBILITY").containsKey("recordedAt")).isFalse();
      assertThat(current(before, "PARTY_ON_BRANCH_BOARDS").getString("choice"))
          .isEqualTo("GRANTED");
      assertThat(before.json().getJsonArray("history")).isEmpty();

      client.patch(
          "updateMe",
          "/v1/me",
          new JsonObject().put("leaderboardVisibility", "NAMED"),
          member.accessToken());
      Reply withdrawn = consent(member, "PARTY_ON_BRANCH_BOARDS", choice("WITHDRAWN"));

      assertThat(withdrawn.status()).isEqualTo(200);
      JsonObject party = current(withdrawn, "PARTY_ON_BRANCH_BOARDS");
      assertThat(party.getString("choice")).isEqualTo("WITHDRAWN");
      assertThat(party.getString("textVersion")).isEqualTo(TEXT_VERSION);
      assertThat(party.getString("recordedAt")).isNotBlank();
      JsonArray history = consents(member).json().getJsonArray("history");
      assertThat(history.stream().map(h -> ((JsonObject) h).getString("choice")))
          .containsExactly("WITHDRAWN", "NAMED");
      assertThat(history.getJsonObject(1).getString("purpose")).isEqualTo("LEADERBOARD_VISIBILITY");
      assertThat(current(consents(member), "LEADERBOARD_VISIBILITY").getString("choice"))
          .isEqualTo("NAMED");
    }

    @Test
    void bad_choices_and_stale_texts_are_refused_naming_the_field_and_change_nothing() {
      SignedIn member = Sessions.resident(client);
      Reply stale =
          consent(
              member,
              "PARTY_ON_BRANCH_BOARDS",
              new JsonObject().put("choice", "WITHDRAWN").put("textVersion", "2020-01-01"));
      Reply wrongChoice = consent(member, "PARTY_ON_BRANCH_BOARDS", choice("NAMED"));
      Reply unknownPurpose = consent(member, "MARKETING", choice("GRANTED"));
      Reply unknownField =
          consent(member, "LEADERBOARD_VISIBILITY", choice("HIDDEN").put("memberId", "m_x"));
      Reply noVersion =
          consent(member, "LEADERBOARD_VISIBILITY", new JsonObject().put("choice", "HIDDEN"));
      Reply wrongType =
          consent(
              member,
              "LEADERBOARD_VISIBILITY",
              new JsonObject().put("choice", 3).put("textVersion", TEXT_VERSION));
      Reply anonymous =
          client.send(
              "recordConsent",
              HttpMethod.PUT,
              "/v1/me/consents/LEADERBOARD_VISIBILITY",
              choice("HIDDEN"),
              null);

      for (Reply refused : List.of(stale, wrongChoice, unknownPurpose, unknownField, noVersion)) {
        assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("VALIDATION_FAILED");
      }
      assertThat(wrongType.status()).isEqualTo(400);
      assertThat(stale.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("textVersion");
      assertThat(stale.json().getString("detail")).isNotBlank();
      assertThat(wrongChoice.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo("choice");
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(consents(member).json().getJsonArray("history")).isEmpty();
    }

    @Test
    void hiding_oneself_shows_on_the_very_next_board_read() {
      SignedIn member = Sessions.inCommunity(client, "c-east-1a");
      SignedIn reader = Sessions.inCommunity(client, "c-east-1a");
      award(member, "c-east-1a", 2061, 50);
      String query = "scope=community:c-east-1a&period=year:2061";
      Eventually.until(
          "the member on the board",
          Duration.ofSeconds(10),
          () -> ids(board(query, reader)).contains(member.memberId()));

      assertThat(consent(member, "LEADERBOARD_VISIBILITY", choice("HIDDEN")).status())
          .isEqualTo(200);

      // No waiting: the board read just before (kept for 2 s) must not answer this one.
      assertThat(ids(board(query, reader))).doesNotContain(member.memberId());
      consent(member, "LEADERBOARD_VISIBILITY", choice("NAMED"));
      assertThat(ids(board(query, reader))).contains(member.memberId());
    }

    @Test
    void a_party_member_who_withdraws_leaves_the_branch_board_on_the_next_read() {
      SignedIn member = Sessions.inCommunity(client, "c-west-1b");
      SignedIn staff = Sessions.withRoles(client, "c-west-1b", "STAFF");
      SignedIn admin = admin();
      Reply verified =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + member.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              staff.accessToken());
      assertThat(verified.status()).isEqualTo(200);
      award(member, "c-west-1b", 2062, 40);
      String query = "scope=branch:b-west-1&period=year:2062";
      Eventually.until(
          "the member on the branch board",
          Duration.ofSeconds(10),
          () -> ids(board(query, admin)).contains(member.memberId()));

      consent(member, "PARTY_ON_BRANCH_BOARDS", choice("WITHDRAWN"));

      assertThat(ids(board(query, admin))).doesNotContain(member.memberId());
      assertThat(ids(board("scope=community:c-west-1b&period=year:2062", admin)))
          .as("the community board still lists them")
          .contains(member.memberId());
      consent(member, "PARTY_ON_BRANCH_BOARDS", choice("GRANTED"));
      assertThat(ids(board(query, admin))).contains(member.memberId());
    }
  }

  @Nested
  class Export {
    @Test
    void the_streamed_zip_holds_every_part_and_the_photos() {
      SignedIn member = Sessions.inCommunity(client, "c-east-1a");
      client.patch(
          "updateMe",
          "/v1/me",
          new JsonObject().put("displayName", "数据 主人").put("leaderboardVisibility", "NAMED"),
          member.accessToken());
      String evidenceId = uploadPhoto(member);
      client.post(
          "registerDevice",
          "/v1/me/devices",
          new JsonObject()
              .put("token", "fcm-export-" + member.memberId())
              .put("platform", "ANDROID"),
          member.accessToken());

      Reply reply = client.get("exportMyData", "/v1/me/data-export", member.accessToken());

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Content-Type")).isEqualTo("application/zip");
      assertThat(reply.header("Content-Disposition")).startsWith("attachment");
      Map<String, byte[]> zip = unzip(reply.body());
      assertThat(zip)
          .containsKeys(
              "manifest.json",
              "submissions.json",
              "attendance.json",
              "notifications.json",
              "sign-ins.json",
              "ledger-entries.json",
              "redemptions.json",
              "waitlist.json",
              "certificates.json");
      JsonObject profile = json(zip, "profile.json").getJsonObject(0);
      assertThat(profile.getString("_id")).isEqualTo(member.memberId());
      assertThat(profile.getString("phone")).isEqualTo(member.phone());
      assertThat(profile.getString("displayName")).isEqualTo("数据 主人");
      assertThat(profile.getJsonArray("roles")).contains("RESIDENT");
      assertThat(json(zip, "consents.json")).hasSize(1);
      assertThat(json(zip, "devices.json").getJsonObject(0).getString("_id"))
          .isEqualTo("fcm-export-" + member.memberId());
      assertThat(json(zip, "evidence.json").getJsonObject(0).getString("_id"))
          .isEqualTo(evidenceId);
      byte[] photo = zip.get("photos/" + evidenceId + ".jpg");
      assertThat(photo).isNotNull();
      assertThat(photo[0] & 0xff).isEqualTo(0xff);
      assertThat(photo[1] & 0xff).isEqualTo(0xd8);
      assertThat(new String(zip.get("manifest.json"), java.nio.charset.StandardCharsets.UTF_8))
          .contains("no name, phone number or photo");
    }

    @Test
    void a_background_export_is_its_owners_to_download_once() {
      SignedIn owner = Sessions.resident(client);
      SignedIn other = Sessions.resident(client);
      uploadPhoto(owner);

      Reply requested =
          client.post("requestDataExport", "/v1/me/data-exports", null, owner.accessToken());
      assertThat(requested.status()).isEqualTo(202);
      String exportId = requested.json().getString("exportId");
      String status = "/v1/me/data-exports/" + exportId;
      Reply again =
          client.post("requestDataExport", "/v1/me/data-exports", null, owner.accessToken());
      assertThat(again.json().getString("exportId"))
          .as("one open export at a time")
          .isEqualTo(exportId);
      Eventually.until(
          "the export ready",
          Duration.ofSeconds(20),
          () ->
              "READY"
                  .equals(
                      client
                          .get("getDataExport", status, owner.accessToken())
                          .json()
                          .getString("status")));

      Reply othersStatus = client.get("getDataExport", status, other.accessToken());
      Reply othersDownload =
          client.get("downloadDataExport", status + "/file", other.accessToken());
      assertThat(othersStatus.status()).isEqualTo(404);
      assertThat(othersStatus.code()).isEqualTo("NOT_FOUND");
      assertThat(othersDownload.status()).isEqualTo(404);

      Reply download = client.get("downloadDataExport", status + "/file", owner.accessToken());
      assertThat(download.status()).isEqualTo(200);
      Map<String, byte[]> zip = unzip(download.body());
      assertThat(json(zip, "profile.json").getJsonObject(0).getString("_id"))
          .isEqualTo(owner.memberId());
      assertThat(zip.keySet()).anyMatch(name -> name.startsWith("photos/"));
      assertThat(client.get("getDataExport", status, owner.accessToken()).json().getLong("bytes"))
          .isEqualTo(download.body().length());

      Reply second = client.get("downloadDataExport", status + "/file", owner.accessToken());
      assertThat(second.status()).isEqualTo(404);
      assertThat(
              client.get("getDataExport", status, owner.accessToken()).json().getString("status"))
          .isEqualTo("DOWNLOADED");
      assertThat(
              java.nio.file.Files.exists(api.dataDir.resolve("data-exports/" + exportId + ".zip")))
          .as("the file is gone once downloaded")
          .isFalse();
      Reply next =
          client.post("requestDataExport", "/v1/me/data-exports", null, owner.accessToken());
      assertThat(next.json().getString("exportId")).isNotEqualTo(exportId);
    }

    @Test
    void malformed_and_unknown_export_ids_are_refused() {
      SignedIn member = Sessions.resident(client);
      Reply malformed =
          client.get("getDataExport", "/v1/me/data-exports/../x", member.accessToken());
      Reply badId = client.get("getDataExport", "/v1/me/data-exports/dx_1", member.accessToken());
      Reply unknown =
          client.get(
              "getDataExport", "/v1/me/data-exports/dx_aaaaaaaaaaaaaaaaaaaa", member.accessToken());
      Reply anonymous = client.get("exportMyData", "/v1/me/data-export", null);

      assertThat(badId.status()).isEqualTo(400);
      assertThat(malformed.status()).isIn(400, 404);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(anonymous.status()).isEqualTo(401);
    }
  }

  @Nested
  class Deletion {
    @Test
    void a_sign_in_older_than_five_minutes_is_refused_and_a_fresh_one_deletes() {
      SignedIn member = Sessions.resident(client);
      clock.advance(Duration.ofMinutes(6));

      Reply stale = deleteMe(member);

      assertThat(stale.status()).isEqualTo(401);
      assertThat(stale.code()).isEqualTo("REAUTHENTICATION_REQUIRED");
      assertThat(stale.json().getString("detail")).contains("5");
      assertThat(client.get("getMe", "/v1/me", member.accessToken()).status())
          .as("nothing was deleted")
          .isEqualTo(200);
      SignedIn again = Sessions.signIn(client, new JsonObject().put("phone", member.phone()));
      assertThat(again.memberId()).isEqualTo(member.memberId());
      assertThat(deleteMe(again).status()).isEqualTo(204);
    }

    @Test
    void deletion_erases_what_names_the_member_keeps_the_pseudonym_and_is_idempotent() {
      SignedIn member = Sessions.inCommunity(client, "c-east-2a");
      SignedIn staff = Sessions.withRoles(client, "c-east-2a", "STAFF");
      SignedIn reader = Sessions.inCommunity(client, "c-east-2a");
      client.patch(
          "updateMe",
          "/v1/me",
          new JsonObject().put("displayName", "张 三").put("leaderboardVisibility", "NAMED"),
          member.accessToken());
      client.post(
          "verifyPartyMembership",
          "/v1/members/" + member.memberId() + "/party-membership",
          new JsonObject().put("branchId", "b-east-1"),
          staff.accessToken());
      String evidenceId = uploadPhoto(member);
      client.post(
          "registerDevice",
          "/v1/me/devices",
          new JsonObject().put("token", "fcm-del-" + member.memberId()).put("platform", "IOS"),
          member.accessToken());
      // A claim with a note, as the store keeps it.
      MongoProbe.await(
          mongo
              .collection("submissions")
              .insertOne(
                  new Document("_id", "s_deleted" + member.memberId().substring(2))
                      .append("memberId", member.memberId())
                      .append("status", "PENDING")
                      .append("evidence", new Document("note", "我在公园捡了垃圾"))));
      award(member, "c-east-2a", 2063, 70);
      String query = "scope=community:c-east-2a&period=year:2063";
      Eventually.until(
          "the member on the board",
          Duration.ofSeconds(10),
          () -> ids(board(query, reader)).contains(member.memberId()));

      String exportId =
          client
              .post("requestDataExport", "/v1/me/data-exports", null, member.accessToken())
              .json()
              .getString("exportId");

      Reply deleted = deleteMe(member);
      Reply repeated = deleteMe(member);

      assertThat(deleted.status()).isEqualTo(204);
      assertThat(repeated.status()).as("a repeat answers the same").isEqualTo(204);
      Reply me = client.get("getMe", "/v1/me", member.accessToken());
      assertThat(me.status()).isEqualTo(401);
      assertThat(me.code()).isEqualTo("INVALID_TOKEN");
      Reply refresh =
          client.post(
              "refreshSession",
              "/v1/auth/refresh",
              new JsonObject().put("refreshToken", member.refreshToken()),
              null);
      assertThat(refresh.status()).isEqualTo(401);
      JsonObject entry =
          board(query, reader).stream()
              .map(JsonObject.class::cast)
              .filter(e -> member.memberId().equals(e.getString("memberId")))
              .findFirst()
              .orElseThrow();
      assertThat(entry.getString("displayName")).isEqualTo("已注销");
      assertThat(entry.getLong("points")).as("points stay with the pseudonym").isEqualTo(70);

      Document stored = mongo.findOne("members", eq("_id", member.memberId()));
      assertThat(stored).isNotNull();
      assertThat(stored.containsKey("phone")).isFalse();
      assertThat(stored.containsKey("firebaseUid")).isFalse();
      assertThat(stored.getString("displayName")).isNull();
      assertThat(stored.get("deletedAt")).isNotNull();
      assertThat(stored.get("party", Document.class).getString("status")).isEqualTo("NONE");
      assertThat(mongo.count("evidence_files.files", eq("metadata.evidenceId", evidenceId)))
          .as("photos gone")
          .isZero();
      assertThat(mongo.count("evidence", eq("memberId", member.memberId()))).isZero();
      assertThat(mongo.count("device_tokens", eq("memberId", member.memberId()))).isZero();
      assertThat(mongo.count("refresh_tokens", eq("memberId", member.memberId()))).isZero();
      Document claim = mongo.findOne("submissions", eq("memberId", member.memberId()));
      assertThat(claim.containsKey("evidence")).as("evidence notes gone").isFalse();
      assertThat(claim.getString("status")).isEqualTo("PENDING");
      assertThat(
              mongo.count(
                  "audit", and(eq("action", "PARTY_VERIFY"), eq("target", member.memberId()))))
          .as("staff actions stay in the audit trail by member id")
          .isEqualTo(1);
      assertThat(
              mongo.count(
                  "audit", and(eq("action", "ACCOUNT_DELETE"), eq("target", member.memberId()))))
          .isEqualTo(1);

      java.nio.file.Path copy = api.dataDir.resolve("data-exports/" + exportId + ".zip");
      Eventually.until(
          "the export's file deleted with the account",
          Duration.ofSeconds(20),
          () ->
              !java.nio.file.Files.exists(copy)
                  && !"PREPARING"
                      .equals(
                          mongo.findOne("data_exports", eq("_id", exportId)).getString("status")));
      assertThat(java.nio.file.Files.exists(copy)).isFalse();

      SignedIn comeBack = Sessions.signIn(client, new JsonObject().put("phone", member.phone()));
      assertThat(comeBack.memberId())
          .as("the same phone opens a new, empty account")
          .isNotEqualTo(member.memberId());
    }

    @Test
    void without_a_token_deletion_is_refused() {
      Reply anonymous = client.delete("deleteMe", "/v1/me", null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");
    }
  }
}
