package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.civicpoints.api.support.ApiClient;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Admins manage the org tree (one unit at a time and by CSV import) on a dev server with the demo
 * city; every test builds its own units under it, with codes no other test uses.
 */
class OrgUnitApiTest {

  private static final String HEADER = "code,kind,name,parentCode";
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static TestApi api;
  private static ApiClient client;
  private static SignedIn admin;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    client = api.client;
    admin = Sessions.signIn(client, signIn("ADMIN"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static JsonObject signIn(String... roles) {
    return new JsonObject().put("phone", Sessions.freshPhone()).put("roles", List.of(roles));
  }

  static String code(String what) {
    return "t" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet() + "-" + what;
  }

  static Reply create(String kind, String name, String parentId, String code) {
    JsonObject body = new JsonObject().put("kind", kind).put("name", name).put("code", code);
    if (parentId != null) {
      body.put("parentId", parentId);
    }
    return client.post("createOrgUnit", "/v1/org-units", body, admin.accessToken());
  }

  static String created(String kind, String name, String parentId) {
    Reply reply = create(kind, name, parentId, code(kind.toLowerCase()));
    assertThat(reply.status()).as("create: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("orgUnitId");
  }

  static JsonObject unit(String unitId) {
    return client.get("getOrgUnit", "/v1/org-units/" + unitId, admin.accessToken()).json();
  }

  static Reply importCsv(byte[] csv, boolean dryRun, String token) {
    return importRaw(csv, dryRun, token, "text/csv; charset=utf-8");
  }

  static Reply importRaw(byte[] csv, boolean dryRun, String token, String contentType) {
    return client.sendRaw(
        "importOrgUnits",
        HttpMethod.POST,
        "/v1/org-units/imports?dryRun=" + dryRun,
        Buffer.buffer(csv),
        Map.of("Authorization", "Bearer " + token, "Content-Type", contentType));
  }

  static Reply importIn(String acceptLanguage, byte[] csv, boolean dryRun) {
    return client.sendRaw(
        "importOrgUnits",
        HttpMethod.POST,
        "/v1/org-units/imports?dryRun=" + dryRun,
        Buffer.buffer(csv),
        Map.of(
            "Authorization",
            "Bearer " + admin.accessToken(),
            "Content-Type",
            "text/csv",
            "Accept-Language",
            acceptLanguage));
  }

  /** Each reported line as "line: message". */
  static List<String> lineMessages(JsonArray errors) {
    return errors.stream()
        .map(JsonObject.class::cast)
        .map(e -> e.getInteger("line") + ": " + e.getString("message"))
        .toList();
  }

  static byte[] utf8(String... lines) {
    return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  static List<String> communityIds() {
    return client
        .get("listCommunities", "/v1/communities", null)
        .json()
        .getJsonArray("items")
        .stream()
        .map(item -> ((JsonObject) item).getString("communityId"))
        .toList();
  }

  static void assertProblem(Reply reply, int status, String code) {
    assertThat(reply.status()).as("%s", reply.body()).isEqualTo(status);
    assertThat(reply.code()).isEqualTo(code);
  }

  static JsonArray fieldNames(Reply reply) {
    return new JsonArray(
        reply.json().getJsonArray("errors").stream()
            .map(error -> ((JsonObject) error).getString("field"))
            .toList());
  }

  @Nested
  class OneByOne {

    @Test
    void an_admin_builds_a_district_street_and_community_that_everyone_then_sees() {
      String district = created("DISTRICT", "朝阳区", "city");
      String street = created("STREET", "建外街道", district);
      String community = created("COMMUNITY", "建国里社区", street);

      assertThat(community).matches("ou-[a-z2-7]{20}");
      JsonObject read = unit(community);
      assertThat(read.getString("kind")).isEqualTo("COMMUNITY");
      assertThat(read.getString("name")).isEqualTo("建国里社区");
      assertThat(read.getString("parentId")).isEqualTo(street);
      assertThat(read.containsKey("retiredAt")).isFalse();
      JsonObject listed =
          client
              .get("listCommunities", "/v1/communities", null)
              .json()
              .getJsonArray("items")
              .stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getString("communityId").equals(community))
              .findFirst()
              .orElseThrow();
      assertThat(listed.getString("streetName")).isEqualTo("建外街道");
      assertThat(listed.getString("districtName")).isEqualTo("朝阳区");
    }

    @Test
    void party_committees_hang_under_the_city_a_district_or_a_street_and_branches_under_them() {
      String committee = created("PARTY_COMMITTEE", "东区街道党工委", "s-east-1");
      String branch = created("PARTY_BRANCH", "东一社区党支部", committee);
      assertThat(
              client
                  .get("listPartyBranches", "/v1/party-branches", null)
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(
                      b ->
                          b.getString("branchId").equals(branch)
                              && b.getString("committeeName").equals("东区街道党工委")))
          .isTrue();
      assertProblem(create("PARTY_BRANCH", "x", "s-east-1", code("b")), 400, "VALIDATION_FAILED");
      assertProblem(
          create("PARTY_COMMITTEE", "x", "c-east-1a", code("pc")), 400, "VALIDATION_FAILED");
    }

    @Test
    void a_parent_that_does_not_exist_or_does_not_fit_is_refused_naming_the_parent_id() {
      Reply unknown = create("COMMUNITY", "无名", "s-nowhere", code("c"));
      assertProblem(unknown, 400, "VALIDATION_FAILED");
      assertThat(fieldNames(unknown)).containsExactly("parentId");

      Reply wrongKind = create("COMMUNITY", "错层社区", "d-east", code("c"));
      assertProblem(wrongKind, 400, "VALIDATION_FAILED");
      assertThat(wrongKind.json().getJsonArray("errors").getJsonObject(0).getString("message"))
          .isEqualTo("COMMUNITY 应位于 STREET 之下，而不是 DISTRICT 之下");
      Reply inEnglish =
          client.send(
              "createOrgUnit",
              HttpMethod.POST,
              "/v1/org-units",
              new JsonObject()
                  .put("kind", "COMMUNITY")
                  .put("name", "Wrong level")
                  .put("parentId", "d-east")
                  .put("code", code("c")),
              admin.accessToken(),
              Map.of("Accept-Language", "en"));
      assertThat(inEnglish.json().getJsonArray("errors"))
          .containsExactly(
              new JsonObject()
                  .put("field", "parentId")
                  .put("message", "a COMMUNITY goes under STREET, not DISTRICT"));

      assertProblem(create("STREET", "无区街道", null, code("s")), 400, "VALIDATION_FAILED");
      assertProblem(create("CITY", "第二城", null, code("city")), 400, "VALIDATION_FAILED");
      assertProblem(create("CITY", "子城", "city", code("city")), 400, "VALIDATION_FAILED");
    }

    @Test
    void codes_are_unique_and_names_non_empty_and_bounded() {
      String taken = code("dup");
      assertThat(create("DISTRICT", "甲区", "city", taken).status()).isEqualTo(201);
      assertProblem(create("DISTRICT", "乙区", "city", taken), 409, "ORG_UNIT_CODE_TAKEN");
      assertProblem(create("DISTRICT", "乙区", "city", "c-east-1a"), 409, "ORG_UNIT_CODE_TAKEN");

      assertProblem(create("DISTRICT", "   ", "city", code("d")), 400, "VALIDATION_FAILED");
      assertProblem(
          create("DISTRICT", "区".repeat(101), "city", code("d")), 400, "VALIDATION_FAILED");
      assertThat(create("DISTRICT", "区".repeat(100), "city", code("d")).status()).isEqualTo(201);
      assertProblem(create("DISTRICT", "a\u0007b", "city", code("d")), 400, "VALIDATION_FAILED");
      assertProblem(create("DISTRICT", "区", "city", "has space"), 400, "VALIDATION_FAILED");
      assertProblem(create("DISTRICT", "区", "city", "x".repeat(65)), 400, "VALIDATION_FAILED");
    }

    @Test
    void of_concurrent_creates_with_one_code_exactly_one_wins() throws Exception {
      String code = code("race");
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(6);
      try {
        List<java.util.concurrent.Future<Reply>> replies =
            pool.invokeAll(
                java.util.Collections.nCopies(6, () -> create("DISTRICT", "竞争区", "city", code)));
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Reply> reply : replies) {
          statuses.add(reply.get().status());
        }
        assertThat(statuses).containsOnly(201, 409).containsOnlyOnce(201);
      } finally {
        pool.shutdownNow();
      }
      assertThat(unitsCoded(code)).hasSize(1);
    }

    @Test
    void wrong_types_and_unknown_fields_are_refused_by_name() {
      Reply reply =
          client.post(
              "createOrgUnit",
              "/v1/org-units",
              new JsonObject()
                  .put("kind", "VILLAGE")
                  .put("name", 7)
                  .put("code", code("x"))
                  .put("orgUnitId", "city"),
              admin.accessToken());
      assertProblem(reply, 400, "VALIDATION_FAILED");
      assertThat(fieldNames(reply)).contains("kind", "name", "orgUnitId");
    }

    @Test
    void only_admins_manage_org_units() {
      for (SignedIn notAdmin :
          List.of(
              Sessions.inCommunity(client, "c-east-1a"),
              Sessions.withRoles(client, "c-east-1a", "STAFF", "ORGANIZER"))) {
        String token = notAdmin.accessToken();
        JsonObject body =
            new JsonObject()
                .put("kind", "DISTRICT")
                .put("name", "区")
                .put("parentId", "city")
                .put("code", code("d"));
        assertProblem(client.post("createOrgUnit", "/v1/org-units", body, token), 403, "FORBIDDEN");
        assertProblem(client.get("listOrgUnits", "/v1/org-units", token), 403, "FORBIDDEN");
        assertProblem(client.get("getOrgUnit", "/v1/org-units/city", token), 403, "FORBIDDEN");
        assertProblem(
            client.patch(
                "updateOrgUnit", "/v1/org-units/city", new JsonObject().put("name", "x"), token),
            403,
            "FORBIDDEN");
        assertProblem(
            client.post("retireOrgUnit", "/v1/org-units/c-west-2b/retire", null, token),
            403,
            "FORBIDDEN");
        assertProblem(importCsv(utf8(HEADER), true, token), 403, "FORBIDDEN");
      }
      assertProblem(client.get("listOrgUnits", "/v1/org-units", null), 401, "UNAUTHENTICATED");
      assertThat(unit("c-west-2b").containsKey("retiredAt")).isFalse();
    }

    @Test
    void a_unit_is_renamed_and_recoded_but_never_takes_another_units_code() {
      String district = created("DISTRICT", "旧名区", "city");
      String newCode = code("renamed");
      Reply renamed =
          client.patch(
              "updateOrgUnit",
              "/v1/org-units/" + district,
              new JsonObject().put("name", " 新名区 ").put("code", newCode),
              admin.accessToken());
      assertThat(renamed.status()).isEqualTo(200);
      assertThat(renamed.json().getString("name")).isEqualTo("新名区");
      assertThat(renamed.json().getString("code")).isEqualTo(newCode);

      assertProblem(
          client.patch(
              "updateOrgUnit",
              "/v1/org-units/" + district,
              new JsonObject().put("code", "d-east"),
              admin.accessToken()),
          409,
          "ORG_UNIT_CODE_TAKEN");
      assertProblem(
          client.patch(
              "updateOrgUnit", "/v1/org-units/" + district, new JsonObject(), admin.accessToken()),
          400,
          "VALIDATION_FAILED");
      assertProblem(
          client.patch(
              "updateOrgUnit",
              "/v1/org-units/ou-nothere",
              new JsonObject().put("name", "x"),
              admin.accessToken()),
          404,
          "NOT_FOUND");
    }

    @Test
    void listings_filter_by_kind_and_parent_and_page_by_id() {
      String street = created("STREET", "分页街道", "d-west");
      for (int i = 0; i < 3; i++) {
        created("COMMUNITY", "分页社区" + i, street);
      }
      String token = admin.accessToken();
      Reply first =
          client.get(
              "listOrgUnits",
              "/v1/org-units?kind=COMMUNITY&parentId=" + street + "&limit=2",
              token);
      assertThat(first.json().getJsonArray("items")).hasSize(2);
      Reply second =
          client.get(
              "listOrgUnits",
              "/v1/org-units?kind=COMMUNITY&parentId="
                  + street
                  + "&limit=2&cursor="
                  + first.json().getString("nextCursor"),
              token);
      assertThat(second.json().getJsonArray("items")).hasSize(1);
      assertThat(second.json().containsKey("nextCursor")).isFalse();
      assertProblem(
          client.get("listOrgUnits", "/v1/org-units?kind=VILLAGE", token),
          400,
          "VALIDATION_FAILED");
    }
  }

  @Nested
  class Retirement {

    @Test
    void a_unit_with_active_units_under_it_does_not_retire_and_retirement_goes_bottom_up() {
      String street = created("STREET", "退役街道", "d-west");
      String community = created("COMMUNITY", "退役社区", street);
      assertProblem(
          client.post(
              "retireOrgUnit", "/v1/org-units/" + street + "/retire", null, admin.accessToken()),
          409,
          "ORG_UNIT_HAS_CHILDREN");

      Reply retired =
          client.post(
              "retireOrgUnit", "/v1/org-units/" + community + "/retire", null, admin.accessToken());
      assertThat(retired.status()).isEqualTo(200);
      assertThat(retired.json().getString("retiredAt")).isNotBlank();
      Reply again =
          client.post(
              "retireOrgUnit", "/v1/org-units/" + community + "/retire", null, admin.accessToken());
      assertThat(again.json().getString("retiredAt"))
          .isEqualTo(retired.json().getString("retiredAt"));
      assertThat(
              client
                  .post(
                      "retireOrgUnit",
                      "/v1/org-units/" + street + "/retire",
                      null,
                      admin.accessToken())
                  .status())
          .isEqualTo(200);
      assertProblem(create("COMMUNITY", "新社区", street, code("c")), 400, "VALIDATION_FAILED");
      assertProblem(
          client.patch(
              "updateOrgUnit",
              "/v1/org-units/" + street,
              new JsonObject().put("name", "复活"),
              admin.accessToken()),
          409,
          "INVALID_STATE");
    }

    @Test
    void a_retired_community_leaves_the_listings_keeps_its_board_and_takes_no_new_activity() {
      String community = created("COMMUNITY", "将退社区", "s-west-2");
      SignedIn staff = Sessions.withRoles(client, community, "STAFF");
      SignedIn member = Sessions.inCommunity(client, community);
      assertThat(communityIds()).contains(community);
      client.post(
          "retireOrgUnit", "/v1/org-units/" + community + "/retire", null, admin.accessToken());

      assertThat(communityIds()).doesNotContain(community);
      String token = admin.accessToken();
      assertThat(
              client
                  .get("listOrgUnits", "/v1/org-units?parentId=s-west-2", token)
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(u -> ((JsonObject) u).getString("orgUnitId")))
          .doesNotContain(community);
      assertThat(
              client
                  .get("listOrgUnits", "/v1/org-units?parentId=s-west-2&includeRetired=true", token)
                  .json()
                  .getJsonArray("items")
                  .stream()
                  .map(u -> ((JsonObject) u).getString("orgUnitId")))
          .contains(community);
      Reply board =
          client.get(
              "getLeaderboard",
              "/v1/leaderboards?scope=community:" + community + "&period=all",
              member.accessToken());
      assertThat(board.status()).as("%s", board.body()).isEqualTo(200);
      assertThat(
              client
                  .get("listMembers", "/v1/members?communityId=" + community, staff.accessToken())
                  .status())
          .isEqualTo(200);

      String rule = rule();
      JsonObject activity = activityBody(community, rule);
      assertProblem(
          client.post("createActivity", "/v1/activities", activity, staff.accessToken()),
          409,
          "INVALID_STATE");
      assertProblem(
          client.patch(
              "updateMe",
              "/v1/me",
              new JsonObject().put("communityId", community),
              Sessions.resident(client).accessToken()),
          400,
          "VALIDATION_FAILED");
    }
  }

  @Nested
  class CsvImport {

    @Test
    void a_dry_run_counts_and_writes_nothing_then_the_apply_is_idempotent_and_renames() {
      String city = "city";
      String district = code("d");
      String street = code("s");
      String committee = code("pc");
      byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
      String[] lines = {
        "code,kind,name,parentCode",
        // Children before their parents, a quoted name with a comma, Chinese names.
        street + ",STREET,东华门街道," + district,
        code("c1") + ",COMMUNITY,\"多福巷社区,东院\"," + street,
        district + ",DISTRICT,东城区," + city,
        "",
        committee + ",PARTY_COMMITTEE,东城区委," + district,
        code("b1") + ",PARTY_BRANCH,多福巷社区党支部," + committee
      };
      byte[] csv = concat(bom, utf8(lines));

      Reply dryRun = importCsv(csv, true, admin.accessToken());
      assertThat(dryRun.status()).as("%s", dryRun.body()).isEqualTo(200);
      assertThat(dryRun.json().getInteger("rows")).isEqualTo(5);
      assertThat(dryRun.json().getInteger("created")).isEqualTo(5);
      assertThat(dryRun.json().getInteger("errorCount")).isZero();
      assertThat(unitsCoded(street)).isEmpty();

      Reply applied = importCsv(csv, false, admin.accessToken());
      assertThat(applied.status()).as("%s", applied.body()).isEqualTo(200);
      assertThat(applied.json().getBoolean("dryRun")).isFalse();
      assertThat(applied.json().getInteger("created")).isEqualTo(5);
      JsonObject community = unitsCoded(lines[2].split(",")[0]).get(0);
      assertThat(community.getString("name")).isEqualTo("多福巷社区,东院");
      assertThat(communityIds()).contains(community.getString("orgUnitId"));

      Reply again = importCsv(csv, false, admin.accessToken());
      assertThat(again.json().getInteger("created")).isZero();
      assertThat(again.json().getInteger("unchanged")).isEqualTo(5);

      lines[3] = district + ",DISTRICT,东城区（新）," + city;
      Reply renamed = importCsv(utf8(lines), false, admin.accessToken());
      assertThat(renamed.json().getInteger("renamed")).isEqualTo(1);
      assertThat(renamed.json().getInteger("unchanged")).isEqualTo(4);
      assertThat(unitsCoded(district).get(0).getString("name")).isEqualTo("东城区（新）");
    }

    @Test
    void every_line_error_is_said_in_chinese_by_default_and_in_english_on_request() {
      String district = code("d");
      byte[] csv =
          utf8(
              HEADER,
              district + ",DISTRICT,好区,city",
              code("bad") + ",COMMUNITY,错层社区," + district,
              code("orphan") + ",STREET,孤儿街道,no-such-code",
              code("kind") + ",VILLAGE,村,city",
              district + ",DISTRICT,重复区,city",
              code("few") + ",STREET",
              code("blank") + ",DISTRICT,  ,city",
              code("open") + ",DISTRICT,\"未闭合,city");
      String kinds = "[CITY, DISTRICT, STREET, COMMUNITY, PARTY_COMMITTEE, PARTY_BRANCH]";

      Reply chinese = importIn("zh-CN", csv, true);
      Reply english = importIn("en", csv, true);

      assertThat(chinese.header("Content-Language")).isEqualTo("zh-CN");
      assertThat(lineMessages(chinese.json().getJsonArray("errors")))
          .containsExactly(
              "3: 位置不对：COMMUNITY 应位于 STREET 之下，而不是 DISTRICT 之下。",
              "4: 上级 no-such-code 既不在文件中，也不在服务器上。",
              "5: 类型不是 " + kinds + " 之一。",
              "6: 编码 " + district + " 也出现在第 2 行。",
              "7: 该行有 2 个字段，code,kind,name,parentCode 共 4 个。",
              "8: 字段 name 不能为空。",
              "9: 有带引号的字段没有闭合。");
      assertThat(english.header("Content-Language")).isEqualTo("en");
      assertThat(lineMessages(english.json().getJsonArray("errors")))
          .containsExactly(
              "3: Wrong place: a COMMUNITY goes under STREET, not DISTRICT.",
              "4: The parent no-such-code is neither in the file nor on the server.",
              "5: The kind is not one of " + kinds + ".",
              "6: The code " + district + " is also on line 2.",
              "7: The line has 2 fields; code,kind,name,parentCode are 4.",
              "8: name is empty.",
              "9: A quoted field is not closed.");

      Reply refused = importIn("en", csv, false);
      assertProblem(refused, 422, "ORG_IMPORT_REJECTED");
      assertThat(refused.json().getJsonArray("errors").getJsonObject(0))
          .isEqualTo(
              new JsonObject()
                  .put("field", "line 3")
                  .put("message", "Wrong place: a COMMUNITY goes under STREET, not DISTRICT."));
    }

    @Test
    void one_bad_line_among_good_ones_writes_nothing_and_every_bad_line_is_named() {
      String district = code("d");
      String street = code("s");
      byte[] csv =
          utf8(
              "code,kind,name,parentCode",
              district + ",DISTRICT,好区,city",
              street + ",STREET,好街道," + district,
              code("c") + ",COMMUNITY,好社区," + street,
              code("bad") + ",COMMUNITY,错层社区," + district,
              code("orphan") + ",STREET,孤儿街道,no-such-code",
              code("kind") + ",VILLAGE,村,city",
              district + ",DISTRICT,重复区,city",
              code("self") + ",STREET,自指街道," + code("self-other"),
              code("few") + ",STREET",
              "c-east-1a,COMMUNITY,East 1 Community A,s-east-2",
              code("blank") + ",DISTRICT,  ,city",
              code("open") + ",DISTRICT,\"未闭合,city");

      Reply dryRun = importCsv(csv, true, admin.accessToken());
      assertThat(dryRun.status()).isEqualTo(200);
      List<Integer> badLines =
          dryRun.json().getJsonArray("errors").stream()
              .map(e -> ((JsonObject) e).getInteger("line"))
              .toList();
      assertThat(badLines).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13);
      assertThat(dryRun.json().getInteger("created")).isEqualTo(3);

      Reply apply = importCsv(csv, false, admin.accessToken());
      assertProblem(apply, 422, "ORG_IMPORT_REJECTED");
      assertThat(fieldNames(apply)).contains("line 5", "line 13");
      assertThat(unitsCoded(district)).isEmpty();
      assertThat(unit("c-east-1a").getString("parentId")).isEqualTo("s-east-1");
    }

    @Test
    void a_parent_line_with_errors_is_named_by_its_children_and_cycles_are_refused() {
      String a = code("a");
      String b = code("b");
      byte[] csv =
          utf8(
              "code,kind,name,parentCode",
              a + ",STREET,甲," + b,
              b + ",STREET,乙," + a,
              code("c") + ",COMMUNITY,丙," + a);
      JsonArray errors = importCsv(csv, true, admin.accessToken()).json().getJsonArray("errors");
      assertThat(errors).hasSize(3);
      assertThat(errors.getJsonObject(0).getString("message"))
          .isEqualTo("位置不对：STREET 应位于 DISTRICT 之下，而不是 STREET 之下。");
      assertThat(errors.getJsonObject(2).getString("message"))
          .isEqualTo("其上级 " + a + "（第 2 行）有错误。");
    }

    @Test
    void garbled_empty_or_headerless_files_are_errors_not_failures() {
      byte[] notUtf8 =
          concat(utf8("code,kind,name,parentCode"), new byte[] {(byte) 0xC3, 0x28, '\n'});
      Reply garbled = importCsv(notUtf8, true, admin.accessToken());
      assertThat(garbled.status()).isEqualTo(200);
      assertThat(garbled.json().getJsonArray("errors").getJsonObject(0).getInteger("line"))
          .isEqualTo(2);

      for (byte[] bad :
          List.of(new byte[0], utf8("name,code"), new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0})) {
        assertProblem(importCsv(bad, false, admin.accessToken()), 422, "ORG_IMPORT_REJECTED");
      }
    }

    @Test
    void a_file_over_one_mebibyte_or_of_another_media_type_is_refused() {
      byte[] huge = new byte[1024 * 1024 + 1];
      java.util.Arrays.fill(huge, (byte) 'a');
      assertProblem(importCsv(huge, true, admin.accessToken()), 413, "PAYLOAD_TOO_LARGE");

      Reply json =
          importRaw(
              "{\"code\":\"x\"}".getBytes(StandardCharsets.UTF_8),
              true,
              admin.accessToken(),
              "application/json");
      assertProblem(json, 415, "UNSUPPORTED_MEDIA_TYPE");
      assertThat(json.json().getString("detail")).contains("text/csv");

      Reply noDryRun =
          client.sendRaw(
              "importOrgUnits",
              HttpMethod.POST,
              "/v1/org-units/imports",
              Buffer.buffer(utf8(HEADER)),
              Map.of("Authorization", "Bearer " + admin.accessToken(), "Content-Type", "text/csv"));
      assertProblem(noDryRun, 400, "VALIDATION_FAILED");
    }

    @Test
    void a_large_city_imports_in_one_request() {
      StringBuilder csv = new StringBuilder("code,kind,name,parentCode\n");
      String prefix = code("big");
      csv.append(prefix).append("-d,DISTRICT,大区,city\n");
      for (int s = 0; s < 100; s++) {
        csv.append(prefix)
            .append("-s")
            .append(s)
            .append(",STREET,街道")
            .append(s)
            .append(',')
            .append(prefix)
            .append("-d\n");
        for (int c = 0; c < 40; c++) {
          csv.append(prefix)
              .append("-s")
              .append(s)
              .append("-c")
              .append(c)
              .append(",COMMUNITY,社区")
              .append(c)
              .append(',')
              .append(prefix)
              .append("-s")
              .append(s)
              .append('\n');
        }
      }
      byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
      assertThat(bytes.length).isLessThan(1024 * 1024);
      long started = System.nanoTime();
      Reply applied = importCsv(bytes, false, admin.accessToken());
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(applied.status()).as("%s", applied.body()).isEqualTo(200);
      assertThat(applied.json().getInteger("created")).isEqualTo(4101);
      System.out.printf("Imported 4101 units (%d bytes) in %d ms%n", bytes.length, millis);
      assertThat(importCsv(bytes, true, admin.accessToken()).json().getInteger("unchanged"))
          .isEqualTo(4101);
    }
  }

  /** The units (retired too) with this code, read page by page. */
  static List<JsonObject> unitsCoded(String code) {
    List<JsonObject> found = new java.util.ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          client
              .get(
                  "listOrgUnits",
                  "/v1/org-units?includeRetired=true&limit=100"
                      + (cursor == null ? "" : "&cursor=" + cursor),
                  admin.accessToken())
              .json();
      page.getJsonArray("items").stream()
          .map(JsonObject.class::cast)
          .filter(u -> u.getString("code").equals(code))
          .forEach(found::add);
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return found;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Staff scoped to a street or a district act on every community below it, and only there. */
  @Nested
  class StaffScopes {

    SignedIn staffOf(String scope) {
      SignedIn staff = Sessions.resident(client);
      Reply granted =
          client.post(
              "grantRole",
              "/v1/members/" + staff.memberId() + "/roles",
              new JsonObject().put("role", "STAFF").put("scopes", List.of(scope)),
              admin.accessToken());
      assertThat(granted.status()).as("%s", granted.body()).isEqualTo(200);
      return Sessions.signIn(client, new JsonObject().put("phone", staff.phone()));
    }

    int membersStatus(SignedIn staff, String communityId) {
      return client
          .get("listMembers", "/v1/members?communityId=" + communityId, staff.accessToken())
          .status();
    }

    int queueStatus(SignedIn staff, String communityId) {
      return client
          .get(
              "listSubmissions",
              "/v1/submissions?communityId=" + communityId + "&status=PENDING",
              staff.accessToken())
          .status();
    }

    @Test
    void street_staff_see_every_community_of_their_street_and_nothing_of_another_street() {
      SignedIn staff = staffOf("street:s-east-1");
      for (String own : List.of("c-east-1a", "c-east-1b")) {
        assertThat(membersStatus(staff, own)).isEqualTo(200);
        assertThat(queueStatus(staff, own)).isEqualTo(200);
      }
      for (String other : List.of("c-east-2a", "c-west-1a")) {
        assertThat(membersStatus(staff, other)).isEqualTo(404);
        assertThat(queueStatus(staff, other)).isIn(403, 404);
      }
      String rule = rule();
      assertThat(
              client
                  .post(
                      "createActivity",
                      "/v1/activities",
                      activityBody("c-east-1b", rule),
                      staff.accessToken())
                  .status())
          .isEqualTo(201);
      assertThat(
              client
                  .post(
                      "createActivity",
                      "/v1/activities",
                      activityBody("c-east-2a", rule),
                      staff.accessToken())
                  .status())
          .isEqualTo(404);
    }

    @Test
    void a_community_created_later_under_the_street_is_covered_without_a_new_sign_in() {
      SignedIn staff = staffOf("street:s-west-1");
      String community = created("COMMUNITY", "新建社区", "s-west-1");
      assertThat(membersStatus(staff, community)).isEqualTo(200);
    }

    @Test
    void district_staff_see_all_of_their_district_and_nothing_of_another() {
      SignedIn staff = staffOf("district:d-west");
      assertThat(membersStatus(staff, "c-west-1a")).isEqualTo(200);
      assertThat(membersStatus(staff, "c-west-2b")).isEqualTo(200);
      assertThat(membersStatus(staff, "c-east-1a")).isEqualTo(404);
      Reply audit = client.get("listAudit", "/v1/audit?communityId=c-east-1a", staff.accessToken());
      assertThat(audit.status()).isIn(403, 404);
    }

    @Test
    void a_branch_secretary_verifies_members_into_their_branch_only() {
      SignedIn secretary = staffOf("branch:b-east-1");
      SignedIn member = Sessions.inCommunity(client, "c-west-2a");
      Reply other =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + member.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-west-1"),
              secretary.accessToken());
      assertProblem(other, 404, "NOT_FOUND");
      Reply own =
          client.post(
              "verifyPartyMembership",
              "/v1/members/" + member.memberId() + "/party-membership",
              new JsonObject().put("branchId", "b-east-1"),
              secretary.accessToken());
      assertThat(own.status()).as("%s", own.body()).isEqualTo(200);
      assertThat(membersStatus(secretary, "c-west-2a")).isEqualTo(404);
    }

    @Test
    void scopes_must_name_an_active_unit_of_a_kind_the_role_works_on() {
      SignedIn member = Sessions.resident(client);
      String retired = created("COMMUNITY", "已退社区", "s-east-2");
      client.post(
          "retireOrgUnit", "/v1/org-units/" + retired + "/retire", null, admin.accessToken());
      for (String scope :
          List.of("city", "street:s-nowhere", "branch:s-east-1", "community:" + retired)) {
        Reply reply =
            client.post(
                "grantRole",
                "/v1/members/" + member.memberId() + "/roles",
                new JsonObject().put("role", "STAFF").put("scopes", List.of(scope)),
                admin.accessToken());
        assertProblem(reply, 400, "VALIDATION_FAILED");
      }
    }
  }

  static String rule() {
    Reply reply =
        client.post(
            "createPointRule",
            "/v1/point-rules",
            new JsonObject()
                .put("category", "VOLUNTEER")
                .put("points", 10)
                .put("dailyCap", 0)
                .put("yearlyCap", 0)
                .put("title", "Volunteer hour"),
            admin.accessToken());
    assertThat(reply.status()).as("rule: %s", reply.body()).isEqualTo(201);
    return reply.json().getString("ruleId");
  }

  static JsonObject activityBody(String communityId, String ruleId) {
    java.time.Instant now = java.time.Instant.now();
    return new JsonObject()
        .put("communityId", communityId)
        .put("type", "VOLUNTEER")
        .put("title", "Clean-up")
        .put("ruleId", ruleId)
        .put("startsAt", now.plusSeconds(3600).toString())
        .put("endsAt", now.plusSeconds(7200).toString())
        .put("checkIn", "NONE");
  }
}
