package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.service.LeaderboardExport;
import org.civicpoints.api.service.LeaderboardService;
import org.civicpoints.api.service.LeaderboardService.BoardPage;
import org.civicpoints.api.service.LeaderboardService.Comparison;
import org.civicpoints.api.service.LeaderboardService.ExportHistoryItem;
import org.civicpoints.api.service.LeaderboardService.MyStanding;
import org.civicpoints.api.service.LeaderboardService.RankedMember;
import org.civicpoints.api.service.LeaderboardService.Trend;

/**
 * Tag "Leaderboards": board pages, the caller's standing, trends, community comparisons, streamed
 * exports and their history.
 */
public final class LeaderboardHandlers {

  private final LeaderboardService leaderboards;
  private final WorkerExecutor exportWorkers;

  /** {@code exportWorkers} builds XLSX files (temp-file IO) off the event loop. */
  public LeaderboardHandlers(LeaderboardService leaderboards, WorkerExecutor exportWorkers) {
    this.leaderboards = leaderboards;
    this.exportWorkers = exportWorkers;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "getLeaderboard", this::getLeaderboard,
        "getMyLeaderboardStanding", this::getMyLeaderboardStanding,
        "exportLeaderboard", this::exportLeaderboard,
        "getLeaderboardTrend", this::getLeaderboardTrend,
        "compareCommunities", this::compareCommunities,
        "listLeaderboardExports",
            Replies.page(leaderboards::exportHistory, LeaderboardHandlers::export));
  }

  private void compareCommunities(RoutingContext ctx) {
    replyOnBoard(ctx, leaderboards::compare, LeaderboardHandlers::comparison);
  }

  private void getLeaderboard(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(
        ctx,
        200,
        () ->
            leaderboards
                .page(
                    Authentication.caller(ctx),
                    board(input),
                    Inputs.limit(input),
                    input.queryParam("cursor"))
                .map(LeaderboardHandlers::page));
  }

  private void getMyLeaderboardStanding(RoutingContext ctx) {
    replyOnBoard(ctx, leaderboards::mine, LeaderboardHandlers::mine);
  }

  private void getLeaderboardTrend(RoutingContext ctx) {
    replyOnBoard(ctx, leaderboards::trend, LeaderboardHandlers::trend);
  }

  /** A read of the caller's view of the requested board, answered as 200 with its JSON. */
  private static <T> void replyOnBoard(
      RoutingContext ctx, BiFunction<Caller, Board, Future<T>> read, Function<T, JsonObject> view) {
    ValidInput input = ValidInput.of(ctx);
    Replies.json(ctx, 200, () -> read.apply(Authentication.caller(ctx), board(input)).map(view));
  }

  private void exportLeaderboard(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    LeaderboardExport export;
    try {
      export = leaderboards.export(Authentication.caller(ctx), board(input));
    } catch (RuntimeException refused) {
      ctx.fail(refused);
      return;
    }
    if ("xlsx".equals(input.queryParam("format"))) {
      new XlsxExportStream(ctx, export, exportWorkers).start();
    } else {
      new CsvExportStream(ctx, export).start();
    }
  }

  private static Board board(ValidInput input) {
    return LeaderboardService.board(
        input.queryParam("scope"), input.queryParam("period"), input.queryParam("category"));
  }

  private static JsonObject boardFields(Board board) {
    return new JsonObject()
        .put("scope", board.scope())
        .put("period", board.period().key())
        .put("category", board.category());
  }

  private static JsonObject page(BoardPage page) {
    return boardFields(page.board())
        .put("asOfBlock", page.asOfBlock())
        .put("entries", entries(page.entries()))
        .put("nextCursor", page.nextCursor());
  }

  private static JsonObject mine(MyStanding mine) {
    return boardFields(mine.board())
        .put("asOfBlock", mine.asOfBlock())
        .put("rank", mine.rank())
        .put("points", mine.points())
        .put("above", entries(mine.above()))
        .put("below", entries(mine.below()));
  }

  private static JsonObject trend(Trend trend) {
    JsonArray days =
        Views.array(
            trend.days(),
            day -> new JsonObject().put("date", day.date().toString()).put("points", day.points()));
    return boardFields(trend.board()).put("days", days);
  }

  private static JsonObject comparison(Comparison comparison) {
    JsonArray communities =
        Views.array(
            comparison.communities(),
            row ->
                new JsonObject()
                    .put("communityId", row.community().communityId())
                    .put("name", row.community().name())
                    .put("points", row.points())
                    .put("participants", row.participants()));
    return boardFields(comparison.board())
        .put("asOfBlock", comparison.asOfBlock())
        .put("communities", communities);
  }

  /** The board key is {@code scope|period|category}: the history names each part. */
  private static JsonObject export(ExportHistoryItem item) {
    String[] board = item.export().boardKey().split("\\|", 3);
    JsonObject json =
        new JsonObject()
            .put("exportId", item.export().exportId())
            .put("at", item.export().at().toString())
            .put("actor", item.export().actor())
            .put("scope", board[0])
            .put("period", board[1])
            .put("category", board[2])
            .put("rows", item.export().rows());
    return item.actorName() == null ? json : json.put("actorName", item.actorName());
  }

  private static JsonArray entries(List<RankedMember> members) {
    return Views.array(
        members,
        m ->
            new JsonObject()
                .put("rank", m.rank())
                .put("memberId", m.memberId())
                .put("displayName", m.displayName())
                .put("communityName", m.communityName())
                .put("points", m.points()));
  }
}
