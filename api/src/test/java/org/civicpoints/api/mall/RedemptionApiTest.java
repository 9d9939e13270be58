package org.civicpoints.api.mall;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.bson.Document;
import org.civicpoints.api.http.Contract;
import org.civicpoints.api.support.ApiClient.Reply;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The points mall through HTTP, the relay, the real gateway client and the devnet: the catalog,
 * redemption (idempotent, limited, refused by the chain), pickup, and many members at once.
 */
class RedemptionApiTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final String SCOPE = "community:" + LedgerRig.COMMUNITY;
  private static LedgerRig rig;
  private static String rule;
  private static SignedIn staff;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
    rule = rig.seedRule("VOLUNTEER", 5, 1_000_000, 10_000_000, true);
    staff = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void a_member_redeems_sees_the_pickup_code_and_staff_hand_the_reward_out() {
    SignedIn resident = memberWithPoints(10);
    String rewardId = reward(new JsonObject().put("pointsCost", 6).put("stock", 2));

    JsonArray offered =
        rig.client
            .get("listRewards", "/v1/rewards?affordable=true", resident.accessToken())
            .json()
            .getJsonArray("items");
    assertThat(ids(offered, "rewardId")).contains(rewardId);

    String key = UUID.randomUUID().toString();
    Reply created = redeem(rewardId, resident, key);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.json().getString("status")).isEqualTo("PENDING");
    String redemptionId = created.json().getString("redemptionId");
    assertThat(redeem(rewardId, resident, key).json().getString("redemptionId"))
        .isEqualTo(redemptionId);

    JsonObject redeemed = awaitStatus(redemptionId, resident, "REDEEMED");
    assertThat(redeemed.getString("pickupCode")).matches("[A-HJ-NP-Z2-9]{8}");
    assertThat(redeemed.getString("qrPayload"))
        .isEqualTo(
            "civicpoints:redemption:" + redemptionId + ":" + redeemed.getString("pickupCode"));
    JsonObject entry = rig.chainEntry(redemptionId).orElseThrow();
    assertThat(entry.getString("kind")).isEqualTo("REDEMPTION");
    assertThat(entry.getString("txId")).isEqualTo(redeemed.getString("txId"));
    assertThat(rig.chainAccount(resident.memberId()).orElseThrow().getLong("balance")).isEqualTo(4);
    assertThat(staffView(rewardId).getLong("stock")).isEqualTo(1);

    SignedIn stranger = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    assertThat(getRedemption(redemptionId, stranger).code()).isEqualTo("NOT_FOUND");
    assertThat(fulfil(redemptionId, stranger, redeemed.getString("pickupCode")).code())
        .isEqualTo("NOT_FOUND");
    assertThat(fulfil(redemptionId, staff, "ABCDEFGH").code()).isEqualTo("WRONG_PICKUP_CODE");

    Reply fulfilled = fulfil(redemptionId, staff, redeemed.getString("pickupCode"));
    assertThat(fulfilled.status()).as(fulfilled.body().toString()).isEqualTo(200);
    assertThat(fulfilled.json().getString("status")).isEqualTo("FULFILLED");
    assertThat(fulfilled.json().getString("fulfilledBy")).isEqualTo(staff.memberId());
    assertThat(fulfilled.json().getString("fulfilledAt")).isEqualTo("Service centre");
    assertThat(fulfil(redemptionId, staff, redeemed.getString("pickupCode")).code())
        .isEqualTo("INVALID_STATE");
    assertThat(
            rig.mongo.count(
                "audit",
                Filters.and(
                    Filters.eq("action", "redemption.fulfil"), Filters.eq("target", redemptionId))))
        .isEqualTo(1);
  }

  @Test
  void a_member_cancels_before_pickup_and_the_chain_refunds_once() {
    SignedIn resident = memberWithPoints(10);
    String rewardId =
        reward(new JsonObject().put("pointsCost", 4).put("stock", 1).put("limitPerMonth", 1));
    String redemptionId =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");
    awaitStatus(redemptionId, resident, "REDEEMED");
    SignedIn stranger = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    assertThat(cancel(redemptionId, stranger).code()).isEqualTo("NOT_FOUND");

    Reply cancelled = cancel(redemptionId, resident);
    assertThat(cancelled.status()).as(cancelled.body().toString()).isEqualTo(200);
    assertThat(cancelled.json().getString("status")).isEqualTo("CANCELLED");
    assertThat(cancel(redemptionId, resident).code()).isEqualTo("INVALID_STATE");
    assertThat(staffView(rewardId).getLong("stock")).isEqualTo(1);

    Eventually.until(
        "the refund on the chain",
        WITHIN,
        () ->
            "DONE"
                .equals(
                    getRedemption(redemptionId, resident)
                        .json()
                        .getJsonObject("refund")
                        .getString("state")));
    JsonObject refund = getRedemption(redemptionId, resident).json().getJsonObject("refund");
    JsonObject entry = rig.chainEntry("rf_" + redemptionId.substring(3)).orElseThrow();
    assertThat(entry.getString("kind")).isEqualTo("REFUND");
    assertThat(entry.getString("txId")).isEqualTo(refund.getString("txId"));
    assertThat(refund.getLong("blockNumber")).isNotNull();
    assertThat(rig.chainAccount(resident.memberId()).orElseThrow().getLong("balance"))
        .isEqualTo(10);
    // The member's entries name the reward of the redemption and of its refund.
    String title = staffView(rewardId).getString("title");
    Eventually.until(
        "the refund among the member's entries",
        WITHIN,
        () -> myEntries(resident).stream().anyMatch(e -> "REFUND".equals(e.getString("kind"))));
    assertThat(
            myEntries(resident).stream()
                .filter(e -> !"AWARD".equals(e.getString("kind")))
                .map(e -> e.getString("kind") + " " + e.getString("rewardTitle")))
        .containsExactlyInAnyOrder("REDEMPTION " + title, "REFUND " + title);
    // The slot came back: the member may redeem it again this month.
    assertThat(redeem(rewardId, resident, UUID.randomUUID().toString()).status()).isEqualTo(201);
  }

  @Test
  void staff_cancel_a_members_redemption_but_not_a_handed_out_one() {
    SignedIn resident = memberWithPoints(10);
    String rewardId = reward(new JsonObject().put("pointsCost", 2));
    String first =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");
    String second =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");
    JsonObject handedOut = awaitStatus(first, resident, "REDEEMED");
    awaitStatus(second, resident, "REDEEMED");
    fulfil(first, staff, handedOut.getString("pickupCode"));

    assertThat(cancel(first, resident).code()).isEqualTo("INVALID_STATE");
    Reply byStaff = cancel(second, staff);
    assertThat(byStaff.status()).isEqualTo(200);
    assertThat(byStaff.json().getString("cancelledBy")).isEqualTo(staff.memberId());
  }

  @Test
  void staff_export_a_rewards_redemptions_as_csv_with_formulas_defused() {
    SignedIn resident = memberWithPoints(5);
    String rewardId =
        reward(new JsonObject().put("title", "=HYPERLINK(\"http://x\")").put("pointsCost", 1));
    String redemptionId =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");
    awaitStatus(redemptionId, resident, "REDEEMED");

    Reply csv =
        rig.client.get(
            "exportRedemptions",
            "/v1/rewards/" + rewardId + "/redemptions/export?status=REDEEMED",
            staff.accessToken());
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.header("Content-Type")).startsWith("text/csv");
    String[] lines = csv.body().toString().split("\r\n");
    assertThat(lines[0]).startsWith("\uFEFFredemption_id,member_id,title");
    assertThat(lines).hasSize(2);
    assertThat(lines[1])
        .startsWith(
            redemptionId + "," + resident.memberId() + ",\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(
            rig.client
                .get(
                    "exportRedemptions",
                    "/v1/rewards/" + rewardId + "/redemptions/export",
                    resident.accessToken())
                .code())
        .isEqualTo("NOT_FOUND");
  }

  /**
   * Staff see a day's redemptions of a reward and download them as Excel: text cells stay text
   * (never a formula); other days, bad days and bad formats are refused or empty, as for strangers.
   */
  @Test
  void staff_list_and_export_a_days_redemptions_as_xlsx() throws IOException {
    SignedIn resident = memberWithPoints(5);
    String rewardId =
        reward(new JsonObject().put("title", "=HYPERLINK(\"http://x\")").put("pointsCost", 1));
    String redemptionId =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");
    awaitStatus(redemptionId, resident, "REDEEMED");
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    String base = "/v1/redemptions?rewardId=" + rewardId + "&status=REDEEMED&day=";

    assertThat(ids(listed(base + today), "redemptionId")).containsExactly(redemptionId);
    assertThat(listed(base + today.minusDays(1))).isEmpty();
    Reply notADay = rig.client.get("listRedemptions", base + "2026-13-40", staff.accessToken());
    assertThat(notADay.status()).isEqualTo(400);
    assertThat(notADay.code()).isEqualTo("VALIDATION_FAILED");

    String export = "/v1/rewards/" + rewardId + "/redemptions/export?day=";
    Reply xlsx =
        rig.client.get("exportRedemptions", export + today + "&format=xlsx", staff.accessToken());
    assertThat(xlsx.status()).as(xlsx.body().toString()).isEqualTo(200);
    assertThat(xlsx.header("Content-Type")).isEqualTo(Contract.XLSX);
    assertThat(xlsx.header("Content-Disposition")).contains("redemptions_" + rewardId + ".xlsx");
    try (XSSFWorkbook workbook =
        new XSSFWorkbook(new ByteArrayInputStream(xlsx.body().getBytes()))) {
      Sheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getLastRowNum()).isEqualTo(1);
      assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("redemption_id");
      assertThat(sheet.getRow(1).getCell(0).getStringCellValue()).isEqualTo(redemptionId);
      Cell title = sheet.getRow(1).getCell(2);
      assertThat(title.getCellType()).isEqualTo(CellType.STRING);
      assertThat(title.getStringCellValue()).isEqualTo("=HYPERLINK(\"http://x\")");
      assertThat(sheet.getRow(1).getCell(3).getNumericCellValue()).isEqualTo(1.0);
    }
    Reply yesterday =
        rig.client.get("exportRedemptions", export + today.minusDays(1), staff.accessToken());
    assertThat(yesterday.body().toString().split("\r\n")).hasSize(1);
    Reply pdf =
        rig.client.get("exportRedemptions", export + today + "&format=pdf", staff.accessToken());
    assertThat(pdf.status()).isEqualTo(400);
    assertThat(pdf.code()).isEqualTo("VALIDATION_FAILED");
    SignedIn elsewhere = Sessions.withRoles(rig.client, "c-west-2b", "STAFF");
    assertThat(
            rig.client
                .get("exportRedemptions", export + today + "&format=xlsx", elsewhere.accessToken())
                .code())
        .isEqualTo("NOT_FOUND");
    assertThat(rig.client.get("listRedemptions", base + today, elsewhere.accessToken()).code())
        .isEqualTo("NOT_FOUND");
  }

  private static JsonArray listed(String uri) {
    Reply reply = rig.client.get("listRedemptions", uri, staff.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.json().getJsonArray("items");
  }

  @Test
  void a_key_is_bound_to_its_reward_and_a_monthly_limit_holds() {
    SignedIn resident = memberWithPoints(30);
    String limited = reward(new JsonObject().put("pointsCost", 5).put("limitPerMonth", 1));
    String other = reward(new JsonObject().put("pointsCost", 5));
    String key = UUID.randomUUID().toString();

    assertThat(redeem(limited, resident, key).status()).isEqualTo(201);
    assertThat(redeem(other, resident, key).code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    Reply second = redeem(limited, resident, UUID.randomUUID().toString());
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.code()).isEqualTo("REDEMPTION_LIMIT_REACHED");
  }

  @Test
  void the_chain_refuses_a_short_balance_and_the_stock_and_limit_come_back() {
    SignedIn resident = memberWithPoints(5);
    String rewardId =
        reward(new JsonObject().put("pointsCost", 6).put("stock", 1).put("limitPerMonth", 1));

    String redemptionId =
        redeem(rewardId, resident, UUID.randomUUID().toString()).json().getString("redemptionId");

    JsonObject failed = awaitStatus(redemptionId, resident, "FAILED");
    assertThat(failed.getString("reason")).isEqualTo("INSUFFICIENT_POINTS");
    assertThat(failed.containsKey("pickupCode")).isFalse();
    assertThat(rig.chainEntry(redemptionId)).isEmpty();
    Eventually.until(
        "the stock given back", WITHIN, () -> staffView(rewardId).getLong("stock") == 1);
    // The limit slot is back too: the member may try again (and is refused by the chain again).
    assertThat(redeem(rewardId, resident, UUID.randomUUID().toString()).status()).isEqualTo(201);
  }

  @Test
  void catalog_rules_hold_for_managers_members_and_strangers() {
    SignedIn resident = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    JsonObject rice =
        new JsonObject()
            .put("scope", SCOPE)
            .put("title", "Rice")
            .put("category", "GOODS")
            .put("pointsCost", 10);
    assertThat(rig.client.post("createReward", "/v1/rewards", rice, resident.accessToken()).code())
        .isEqualTo("FORBIDDEN");
    assertThat(
            rig.client
                .post(
                    "createReward",
                    "/v1/rewards",
                    rice.copy().put("scope", "community:c-nowhere"),
                    staff.accessToken())
                .code())
        .isEqualTo("NOT_FOUND");
    assertThat(
            rig.client
                .post(
                    "createReward",
                    "/v1/rewards",
                    rice.copy().put("status", "FULFILLED"),
                    staff.accessToken())
                .code())
        .isEqualTo("VALIDATION_FAILED");
    assertThat(
            rig.client
                .post(
                    "createReward",
                    "/v1/rewards",
                    rice.copy().put("pointsCost", "many"),
                    staff.accessToken())
                .status())
        .isEqualTo(400);

    String hidden = reward(new JsonObject().put("pointsCost", 1).put("active", false));
    assertThat(
            rig.client.get("getReward", "/v1/rewards/" + hidden, resident.accessToken()).status())
        .isEqualTo(200);
    assertThat(redeem(hidden, resident, UUID.randomUUID().toString()).code())
        .isEqualTo("REWARD_UNAVAILABLE");
    JsonArray offered =
        rig.client
            .get("listRewards", "/v1/rewards", resident.accessToken())
            .json()
            .getJsonArray("items");
    assertThat(ids(offered, "rewardId")).doesNotContain(hidden);

    SignedIn elsewhere = Sessions.inCommunity(rig.client, "c-west-2b");
    assertThat(rig.client.get("getReward", "/v1/rewards/" + hidden, elsewhere.accessToken()).code())
        .isEqualTo("NOT_FOUND");
    assertThat(redeem(hidden, elsewhere, UUID.randomUUID().toString()).code())
        .isEqualTo("NOT_FOUND");

    Reply changed =
        rig.client.patch(
            "changeReward",
            "/v1/rewards/" + hidden,
            new JsonObject().put("active", true).put("stock", 3),
            staff.accessToken());
    assertThat(changed.status()).as(changed.body().toString()).isEqualTo(200);
    assertThat(changed.json().getLong("stock")).isEqualTo(3);
    assertThat(
            rig.client
                .patch(
                    "changeReward",
                    "/v1/rewards/" + hidden,
                    new JsonObject().put("pointsCost", 0),
                    staff.accessToken())
                .code())
        .isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void staff_cannot_hand_out_their_own_redemption() {
    SignedIn staffMember = Sessions.withRoles(rig.client, LedgerRig.COMMUNITY, "STAFF");
    give(staffMember, 10);
    String rewardId = reward(new JsonObject().put("pointsCost", 2));
    String redemptionId =
        redeem(rewardId, staffMember, UUID.randomUUID().toString())
            .json()
            .getString("redemptionId");
    JsonObject redeemed = awaitStatus(redemptionId, staffMember, "REDEEMED");

    Reply own = fulfil(redemptionId, staffMember, redeemed.getString("pickupCode"));
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.code()).isEqualTo("SELF_DECISION");
  }

  /**
   * 200 requests of 50 members for 10 units, each member limited to one a month: exactly 10 are
   * redeemed, on the chain too, the stock ends at 0, and every refusal says why.
   */
  @Test
  void two_hundred_concurrent_redemptions_of_ten_units_redeem_exactly_ten() throws Exception {
    List<SignedIn> members = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      members.add(Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY));
    }
    List<String> seeded = new ArrayList<>();
    members.forEach(
        member ->
            seeded.addAll(
                rig.seedApproved(member.memberId(), rule, "VOLUNTEER", 10, 2, LocalDate.now(), 1)));
    Eventually.until(
        "all 50 awards recorded",
        Duration.ofSeconds(60),
        () ->
            seeded.stream()
                .allMatch(id -> "RECORDED".equals(rig.submission(id).getString("status"))));
    String rewardId =
        reward(new JsonObject().put("pointsCost", 3).put("stock", 10).put("limitPerMonth", 1));

    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Future<Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        SignedIn member = members.get(i % members.size());
        replies.add(pool.submit(() -> redeem(rewardId, member, UUID.randomUUID().toString())));
      }
      Map<String, Integer> byOutcome = new HashMap<>();
      List<String> redemptionIds = new ArrayList<>();
      for (Future<Reply> reply : replies) {
        Reply answer = reply.get();
        String outcome = answer.status() == 201 ? "CREATED" : answer.code();
        byOutcome.merge(outcome, 1, Integer::sum);
        if (answer.status() == 201) {
          redemptionIds.add(answer.json().getString("redemptionId"));
        }
      }
      assertThat(byOutcome.get("CREATED")).as(byOutcome.toString()).isEqualTo(10);
      assertThat(byOutcome.keySet())
          .containsOnly("CREATED", "OUT_OF_STOCK", "REDEMPTION_LIMIT_REACHED");
      Eventually.until(
          "ten redeemed",
          WITHIN,
          () ->
              rig.mongo.count(
                      "redemptions",
                      Filters.and(
                          Filters.eq("rewardId", rewardId), Filters.eq("status", "REDEEMED")))
                  == 10);
      redemptionIds.forEach(id -> assertThat(rig.chainEntry(id)).isPresent());
      assertThat(staffView(rewardId).getLong("stock")).isZero();
      List<Document> all = rig.mongo.find("redemptions", Filters.eq("rewardId", rewardId));
      assertThat(all).hasSize(10);
      assertThat(all.stream().map(d -> d.getString("memberId")).distinct()).hasSize(10);
      // The chain spent exactly those: 3 points of each of the ten members, nothing of the others.
      Set<String> redeemers =
          all.stream().map(d -> d.getString("memberId")).collect(Collectors.toSet());
      members.forEach(
          member ->
              assertThat(rig.chainAccount(member.memberId()).orElseThrow().getLong("spent"))
                  .as(member.memberId())
                  .isEqualTo(redeemers.contains(member.memberId()) ? 3 : 0));
    } finally {
      pool.shutdownNow();
    }
  }

  // --- helpers ---

  private static SignedIn memberWithPoints(long points) {
    SignedIn member = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    give(member, points);
    return member;
  }

  /** Points on the chain, by an award of {@code points} (a multiple of the rule's 5). */
  private static void give(SignedIn member, long points) {
    String submissionId =
        rig.seedApproved(
                member.memberId(),
                rule,
                "VOLUNTEER",
                points,
                (int) (points / 5),
                LocalDate.now(),
                1)
            .get(0);
    Eventually.until(
        "the award recorded",
        WITHIN,
        () -> "RECORDED".equals(rig.submission(submissionId).getString("status")));
  }

  private static String reward(JsonObject fields) {
    JsonObject body =
        new JsonObject()
            .put("scope", SCOPE)
            .put("title", "Reward " + UUID.randomUUID().toString().substring(0, 8))
            .put("category", "GOODS")
            .put("pickupPlace", "Service centre")
            .mergeIn(fields);
    Reply reply = rig.client.post("createReward", "/v1/rewards", body, staff.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
    return reply.json().getString("rewardId");
  }

  private static JsonObject staffView(String rewardId) {
    return rig.client.get("getReward", "/v1/rewards/" + rewardId, staff.accessToken()).json();
  }

  private static Reply redeem(String rewardId, SignedIn member, String key) {
    return rig.client.send(
        "redeemReward",
        HttpMethod.POST,
        "/v1/rewards/" + rewardId + "/redemptions",
        null,
        member.accessToken(),
        Map.of("Idempotency-Key", key));
  }

  private static Reply getRedemption(String redemptionId, SignedIn caller) {
    return rig.client.get("getRedemption", "/v1/redemptions/" + redemptionId, caller.accessToken());
  }

  private static Reply fulfil(String redemptionId, SignedIn caller, String code) {
    return rig.client.post(
        "fulfilRedemption",
        "/v1/redemptions/" + redemptionId + "/fulfil",
        new JsonObject().put("pickupCode", code),
        caller.accessToken());
  }

  private static Reply cancel(String redemptionId, SignedIn caller) {
    return rig.client.post(
        "cancelRedemption",
        "/v1/redemptions/" + redemptionId + "/cancel",
        new JsonObject().put("reason", "Cannot come"),
        caller.accessToken());
  }

  private static JsonObject awaitStatus(String redemptionId, SignedIn caller, String status) {
    Eventually.until(
        "redemption " + status,
        WITHIN,
        () -> status.equals(getRedemption(redemptionId, caller).json().getString("status")));
    return getRedemption(redemptionId, caller).json();
  }

  private static List<JsonObject> myEntries(SignedIn member) {
    Reply reply =
        rig.client.get("listMyPointEntries", "/v1/me/points/entries", member.accessToken());
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    List<JsonObject> entries = new ArrayList<>();
    reply.json().getJsonArray("items").forEach(item -> entries.add((JsonObject) item));
    return entries;
  }

  private static List<String> ids(JsonArray items, String field) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString(field)));
    return ids;
  }
}
