package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.civicpoints.chaincode.LedgerStubFixture.award;
import static org.civicpoints.chaincode.LedgerStubFixture.redemption;
import static org.civicpoints.chaincode.LedgerStubFixture.reversal;
import static org.civicpoints.chaincode.LedgerStubFixture.rule;

import java.util.ArrayList;
import java.util.List;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueriesTest {
  private final LedgerStubFixture fx = new LedgerStubFixture();

  @BeforeEach
  void history() {
    fx.putRule(rule("clean-park", 1, 10, 0, 0).toString());
    for (int i = 1; i <= 5; i++) {
      fx.recordAward(award("a" + i, "m1", "clean-park", i));
    }
    fx.redeem(redemption("r1", "m1", 15));
    fx.reverse(reversal("v1", "a2"));
    fx.recordAward(award("b1", "m2", "clean-park", 1));
  }

  @Nested
  class ListEntries {

    @Test
    void pages_through_a_members_entries_newest_first() {
      final List<String> seen = new ArrayList<>();
      String bookmark = "";
      int pages = 0;
      do {
        final String mark = bookmark;
        final JSONObject page =
            new JSONObject(fx.evaluate((c, ctx) -> c.ListEntries(ctx, "m1", "3", mark)));
        final JSONArray entries = page.getJSONArray("entries");
        assertThat(page.getInt("fetchedCount")).isEqualTo(entries.length());
        entries.forEach(e -> seen.add(((JSONObject) e).getString("entryId")));
        bookmark = page.getString("bookmark");
        pages++;
      } while (!bookmark.isEmpty());

      assertThat(seen).containsExactly("v1", "r1", "a5", "a4", "a3", "a2", "a1");
      assertThat(pages).isEqualTo(3);
    }

    @Test
    void returns_whole_entries() {
      final JSONObject page =
          new JSONObject(fx.evaluate((c, ctx) -> c.ListEntries(ctx, "m2", "10", "")));

      assertThat(page.getJSONArray("entries").getJSONObject(0).toMap())
          .containsEntry("entryId", "b1")
          .containsEntry("memberId", "m2")
          .containsEntry("points", 10);
      assertThat(page.getString("bookmark")).isEmpty();
    }

    @Test
    void a_member_without_entries_gets_an_empty_page() {
      final JSONObject page =
          new JSONObject(fx.evaluate((c, ctx) -> c.ListEntries(ctx, "m", "10", "")));

      assertThat(page.getJSONArray("entries").isEmpty()).isTrue();
      assertThat(page.getInt("fetchedCount")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "ten", "", "1.5"})
    void a_bad_page_size_is_invalid_argument(final String pageSize) {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.ListEntries(ctx, "m1", pageSize, "")),
          PointsError.INVALID_ARGUMENT);
    }

    @Test
    void a_bad_member_id_is_invalid_argument() {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.ListEntries(ctx, "m\u0000", "10", "")),
          PointsError.INVALID_ARGUMENT);
    }
  }

  @Nested
  class ListAccounts {

    @Test
    void pages_through_every_account_in_key_order() {
      for (int i = 3; i <= 7; i++) {
        fx.recordAward(award("c" + i, "m" + i, "clean-park", 1));
      }
      final List<String> seen = new ArrayList<>();
      String bookmark = "";
      int pages = 0;
      do {
        final String mark = bookmark;
        final JSONObject page =
            new JSONObject(fx.evaluate((c, ctx) -> c.ListAccounts(ctx, "3", mark)));
        final JSONArray accounts = page.getJSONArray("accounts");
        assertThat(page.getInt("fetchedCount")).isEqualTo(accounts.length());
        accounts.forEach(a -> seen.add(((JSONObject) a).getString("memberId")));
        bookmark = page.getString("bookmark");
        pages++;
      } while (!bookmark.isEmpty());

      assertThat(seen).containsExactly("m1", "m2", "m3", "m4", "m5", "m6", "m7");
      assertThat(pages).isEqualTo(3);
    }

    @Test
    void returns_whole_accounts_and_nothing_else() {
      final JSONObject page =
          new JSONObject(fx.evaluate((c, ctx) -> c.ListAccounts(ctx, "1000", "")));

      final JSONArray accounts = page.getJSONArray("accounts");
      assertThat(accounts.length()).as("entries, rules and caps are not accounts").isEqualTo(2);
      assertThat(accounts.getJSONObject(0).toMap())
          .containsEntry("memberId", "m1")
          .containsEntry("balance", 115)
          .containsEntry("earned", 150)
          .containsEntry("spent", 15)
          .containsEntry("reversed", 20)
          .containsEntry("entryCount", 7);
      assertThat(page.getString("bookmark")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "ten", "", "1.5"})
    void a_bad_page_size_is_invalid_argument(final String pageSize) {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.ListAccounts(ctx, pageSize, "")),
          PointsError.INVALID_ARGUMENT);
    }

    @Test
    void a_bookmark_outside_the_accounts_is_invalid_argument() {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.ListAccounts(ctx, "10", "\u0000entry\u0000a1\u0000")),
          PointsError.INVALID_ARGUMENT);
    }
  }

  @Nested
  class GetAccountHistory {

    @Test
    void lists_every_version_with_its_transaction() {
      final JSONArray history =
          new JSONArray(fx.evaluate((c, ctx) -> c.GetAccountHistory(ctx, "m1")));

      assertThat(history.length()).isEqualTo(7);
      final JSONObject last = history.getJSONObject(6);
      assertThat(last.getBoolean("isDelete")).isFalse();
      assertThat(last.getString("txId")).startsWith("tx");
      assertThat(last.getString("timestamp")).endsWith("Z");
      assertThat(last.getJSONObject("account").toMap())
          .containsEntry("balance", 115)
          .containsEntry("reversed", 20)
          .containsEntry("spent", 15);
      assertThat(history.getJSONObject(0).getJSONObject("account").getLong("balance"))
          .isEqualTo(10);
    }

    @Test
    void an_unknown_member_has_no_history() {
      assertThat(fx.evaluate((c, ctx) -> c.GetAccountHistory(ctx, "nobody"))).isEqualTo("[]");
    }
  }

  @Nested
  class GetOne {

    @Test
    void unknown_keys_are_not_found() {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.GetAccount(ctx, "nobody")), PointsError.NOT_FOUND);
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.GetEntry(ctx, "nothing")), PointsError.NOT_FOUND);
      fx.assertFails(() -> fx.evaluate((c, ctx) -> c.GetRule(ctx, "none")), PointsError.NOT_FOUND);
    }

    @Test
    void bad_ids_are_invalid_argument() {
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.GetAccount(ctx, "")), PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.GetEntry(ctx, "x".repeat(129))),
          PointsError.INVALID_ARGUMENT);
      fx.assertFails(
          () -> fx.evaluate((c, ctx) -> c.GetRule(ctx, null)), PointsError.INVALID_ARGUMENT);
    }

    @Test
    void any_channel_member_may_query() {
      final JSONObject account = fx.account("m1");

      assertThat(account.getLong("balance"))
          .isEqualTo(
              account.getLong("earned") - account.getLong("spent") - account.getLong("reversed"));
      assertThat(account.getLong("entryCount")).isEqualTo(7);
    }
  }
}
