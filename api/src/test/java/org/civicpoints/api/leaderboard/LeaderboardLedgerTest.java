package org.civicpoints.api.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import org.bson.Document;
import org.civicpoints.api.support.Eventually;
import org.civicpoints.api.support.LedgerRig;
import org.civicpoints.api.support.Sessions;
import org.civicpoints.api.support.Sessions.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: approved submissions go through the relay and the real ledger (fabric-gateway to the
 * devnet), the projector hands the PointsMoved entries to the standings, and the boards show them;
 * a reversal on the ledger takes them off again.
 */
class LeaderboardLedgerTest {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static LedgerRig rig;

  @BeforeAll
  static void start() {
    rig = LedgerRig.start();
  }

  @AfterAll
  static void stop() {
    rig.close();
  }

  @Test
  void recorded_points_reach_the_boards_and_a_reversal_takes_them_off() {
    String rule = rig.seedRule("STUDY", 5, 1_000_000, 10_000_000, true);
    SignedIn leader = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    SignedIn runnerUp = Sessions.inCommunity(rig.client, LedgerRig.COMMUNITY);
    // 2026-11-20 is the Friday of ISO week 47.
    String leading =
        rig.seedApproved(leader.memberId(), rule, "STUDY", 15, 3, LocalDate.of(2026, 11, 20), 1)
            .get(0);
    String following =
        rig.seedApproved(runnerUp.memberId(), rule, "STUDY", 10, 2, LocalDate.of(2026, 11, 20), 1)
            .get(0);
    long block = Math.max(awaitStatus(leading, "RECORDED"), awaitStatus(following, "RECORDED"));

    String query =
        "scope=community:" + LedgerRig.COMMUNITY + "&period=week:2026-W47&category=STUDY";
    Eventually.until(
        "standings at block " + block,
        WITHIN,
        () -> board(query, leader).getLong("asOfBlock") >= block);
    JsonObject board = board(query, leader);
    assertThat(board.getJsonArray("entries")).hasSize(2);
    assertThat(board.getJsonArray("entries").getJsonObject(0).getString("memberId"))
        .isEqualTo(leader.memberId());
    assertThat(board.getJsonArray("entries").getJsonObject(0).getLong("points")).isEqualTo(15);
    JsonObject mine =
        rig.client
            .get("getMyLeaderboardStanding", "/v1/leaderboards/me?" + query, runnerUp.accessToken())
            .json();
    assertThat(mine.getLong("rank")).isEqualTo(2);
    assertThat(mine.getLong("points")).isEqualTo(10);

    rig.requestReversal(leading, "entered twice");
    awaitStatus(leading, "REVERSED");
    Eventually.until(
        "the reversal on the board",
        WITHIN,
        () -> board(query, leader).getJsonArray("entries").size() == 1);
    JsonObject after = board(query, leader);
    assertThat(after.getJsonArray("entries").getJsonObject(0).getString("memberId"))
        .isEqualTo(runnerUp.memberId());
    assertThat(after.getJsonArray("entries").getJsonObject(0).getLong("rank")).isEqualTo(1);
  }

  private static JsonObject board(String query, SignedIn caller) {
    return rig.client
        .get("getLeaderboard", "/v1/leaderboards?" + query, caller.accessToken())
        .json();
  }

  /** Waits for the status; answers the block the submission was recorded in. */
  private static long awaitStatus(String submissionId, String status) {
    Eventually.until(
        "submission " + submissionId + " " + status,
        WITHIN,
        () -> status.equals(rig.submission(submissionId).getString("status")));
    Document ledger = rig.submission(submissionId).get("ledger", Document.class);
    return ledger.get("blockNumber", Number.class).longValue();
  }
}
