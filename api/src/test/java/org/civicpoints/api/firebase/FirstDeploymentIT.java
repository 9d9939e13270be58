package org.civicpoints.api.firebase;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.config.ApiConfig;
import org.civicpoints.api.config.FirebaseConfig;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.PemKeys;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.TestApi;
import org.civicpoints.api.support.TestDevnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a production deployment does first: a CIVIC_ENV=prod server on an empty database signs in
 * its first admin (BOOTSTRAP_ADMIN_PHONE) with a real Firebase ID token, creates the org tree
 * through the API, and a staff member of a new community then works there. Firebase is the Auth
 * emulator, the one setting a production configuration refuses, so it is put into the otherwise
 * production configuration here.
 */
@ExtendWith(FirebaseAuthEmulator.class)
class FirstDeploymentIT {

  private static final String CITY_CSV =
      """
      code,kind,name,parentCode
      110000,CITY,北京市,
      110101,DISTRICT,东城区,110000
      110101001,STREET,东华门街道,110101
      110101001001,COMMUNITY,多福巷社区,110101001
      110101001002,COMMUNITY,银闸社区,110101001
      110101-pc,PARTY_COMMITTEE,东城区委,110101
      110101-pb-01,PARTY_BRANCH,多福巷社区党支部,110101-pc
      """;

  @Test
  void an_empty_production_server_gets_its_admin_its_org_tree_and_a_working_staff_member(
      FirebaseAuthEmulator.Endpoint emulator) throws Exception {
    String adminPhone = Sessions.freshPhone();
    MongoServer mongo = new MongoServer(new MemoryBackend());
    mongo.bind(new InetSocketAddress("127.0.0.1", 0));
    Path dataDir = TestApi.temporaryDirectory();
    try (TestDevnet peer = TestDevnet.start();
        TestApi api =
            TestApi.startWith(
                productionConfig(mongo, dataDir, peer, adminPhone, emulator), mongo, dataDir)) {
      ApiClient client = api.client;
      EmulatorUsers users = new EmulatorUsers(emulator.host());
      assertThat(
              client.get("listCommunities", "/v1/communities", null).json().getJsonArray("items"))
          .as("nothing is seeded in production")
          .isEmpty();

      String admin = signIn(client, users, adminPhone);
      assertThat(client.get("getMe", "/v1/me", admin).json().getJsonArray("roles").getList())
          .contains("ADMIN");

      byte[] csv = CITY_CSV.getBytes(StandardCharsets.UTF_8);
      Reply dryRun = importCsv(client, admin, csv, true);
      assertThat(dryRun.json().getInteger("created")).isEqualTo(7);
      assertThat(
              client.get("listCommunities", "/v1/communities", null).json().getJsonArray("items"))
          .isEmpty();
      assertThat(importCsv(client, admin, csv, false).json().getInteger("created")).isEqualTo(7);
      Map<String, String> communities = communitiesByName(client);
      assertThat(communities).containsOnlyKeys("多福巷社区", "银闸社区");
      String duofu = communities.get("多福巷社区");

      String staffPhone = Sessions.freshPhone();
      String staffMemberId =
          client
              .get("getMe", "/v1/me", signIn(client, users, staffPhone))
              .json()
              .getString("memberId");
      Reply granted =
          client.post(
              "grantRole",
              "/v1/members/" + staffMemberId + "/roles",
              new JsonObject().put("role", "STAFF").put("scopes", List.of("community:" + duofu)),
              admin);
      assertThat(granted.status()).as("%s", granted.body()).isEqualTo(200);
      String staff = signIn(client, users, staffPhone);

      String resident = signIn(client, users, Sessions.freshPhone());
      Reply moving =
          client.patch("updateMe", "/v1/me", new JsonObject().put("communityId", duofu), resident);
      assertThat(moving.status()).as("%s", moving.body()).isEqualTo(200);
      String requestId =
          client
              .get(
                  "listCommunityChangeRequests",
                  "/v1/community-change-requests?communityId=" + duofu,
                  staff)
              .json()
              .getJsonArray("items")
              .getJsonObject(0)
              .getString("requestId");
      Reply approved =
          client.post(
              "decideCommunityChange",
              "/v1/community-change-requests/" + requestId + "/decision",
              new JsonObject().put("decision", "APPROVE"),
              staff);
      assertThat(approved.status()).as("%s", approved.body()).isEqualTo(200);
      assertThat(client.get("getMe", "/v1/me", resident).json().getString("communityId"))
          .isEqualTo(duofu);
      assertThat(
              client
                  .get("listMembers", "/v1/members?communityId=" + duofu, staff)
                  .json()
                  .getJsonArray("items"))
          .hasSize(1);
      assertThat(
              client
                  .get("listMembers", "/v1/members?communityId=" + communities.get("银闸社区"), staff)
                  .status())
          .as("the other community is not the staff member's")
          .isEqualTo(404);

      String ruleId =
          client
              .post(
                  "createPointRule",
                  "/v1/point-rules",
                  new JsonObject()
                      .put("category", "VOLUNTEER")
                      .put("points", 10)
                      .put("dailyCap", 0)
                      .put("yearlyCap", 0)
                      .put("title", "志愿服务一小时"),
                  admin)
              .json()
              .getString("ruleId");
      Reply activity =
          client.post(
              "createActivity",
              "/v1/activities",
              new JsonObject()
                  .put("communityId", duofu)
                  .put("type", "VOLUNTEER")
                  .put("title", "社区清洁")
                  .put("ruleId", ruleId)
                  .put("startsAt", Instant.now().plusSeconds(3600).toString())
                  .put("endsAt", Instant.now().plusSeconds(7200).toString())
                  .put("checkIn", "NONE"),
              staff);
      assertThat(activity.status()).as("%s", activity.body()).isEqualTo(201);
    } finally {
      mongo.shutdownNow();
    }
  }

  /**
   * The configuration a production server reads from its environment, with the Auth emulator as its
   * identity provider.
   */
  private static ApiConfig productionConfig(
      MongoServer mongo,
      Path dataDir,
      TestDevnet peer,
      String adminPhone,
      FirebaseAuthEmulator.Endpoint emulator)
      throws Exception {
    // The signing key as infra/terraform mounts it: a PKCS#8 PEM EC P-256 key.
    Path keyFile = dataDir.resolve("signing-key.pem");
    Files.writeString(keyFile, PemKeys.opensslPem(PemKeys.newP256()));
    Map<String, String> environment = new HashMap<>(peer.settings());
    environment.put("CIVIC_ENV", "prod");
    environment.put("HTTP_HOST", "127.0.0.1");
    environment.put("HTTP_PORT", "0");
    environment.put("DATA_DIR", dataDir.toString());
    environment.put("MONGO_URI", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort());
    environment.put("FIREBASE_PROJECT_ID", FirebaseAuthEmulator.PROJECT_ID);
    environment.put("JWT_KEY_FILE", keyFile.toString());
    environment.put("JWT_ISSUER", "https://api.civic-points.test");
    environment.put("JWT_AUDIENCE", "civic-points-app");
    environment.put("BOOTSTRAP_ADMIN_PHONE", adminPhone);
    return ApiConfig.fromEnv(environment)
        .withFirebase(
            new FirebaseConfig(
                Optional.of(FirebaseAuthEmulator.PROJECT_ID),
                Optional.empty(),
                Optional.of(emulator.host())));
  }

  private static String signIn(ApiClient client, EmulatorUsers users, String phone)
      throws Exception {
    Reply session =
        client.post(
            "signInWithFirebase",
            "/v1/auth/firebase",
            new JsonObject().put("idToken", users.signInWithPhone(phone).idToken()),
            null);
    assertThat(session.status()).as("%s", session.body()).isEqualTo(200);
    return session.json().getString("accessToken");
  }

  private static Reply importCsv(ApiClient client, String admin, byte[] csv, boolean dryRun) {
    Reply reply =
        client.sendRaw(
            "importOrgUnits",
            HttpMethod.POST,
            "/v1/org-units/imports?dryRun=" + dryRun,
            Buffer.buffer(csv),
            Map.of("Authorization", "Bearer " + admin, "Content-Type", "text/csv"));
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
    assertThat(reply.json().getInteger("errorCount")).isZero();
    return reply;
  }

  private static Map<String, String> communitiesByName(ApiClient client) {
    Map<String, String> byName = new HashMap<>();
    client
        .get("listCommunities", "/v1/communities", null)
        .json()
        .getJsonArray("items")
        .forEach(
            item ->
                byName.put(
                    ((JsonObject) item).getString("name"),
                    ((JsonObject) item).getString("communityId")));
    return byName;
  }
}
