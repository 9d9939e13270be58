package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.nin;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.FindPublisher;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.DailyPoints;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.Standing;
import org.civicpoints.api.mongo.PositionedDocuments.Change;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.port.Standings;

/**
 * Standings in "standings" and daily points in "standings_daily" ({@code _id =
 * scope|category|day}), both written in bulk by {@link PositionedDocuments}: each document takes in
 * an entry once, by compare-and-set on the last chain position it holds.
 *
 * <p>Only ALL boards have documents ({@code _id = scope|period|ALL|memberId}): besides the member's
 * {@code points}, {@code entries}, {@code lastTxId} and {@code lastBlock} on the board, each keeps
 * the same four per category ({@code byCategory.<CAT>}, {@code entriesByCategory.<CAT>}, {@code
 * lastTxIdByCategory.<CAT>}, {@code lastBlockByCategory.<CAT>}). A category board is read from the
 * ALL board of its scope and period through its category's fields ({@link Fields}), so an entry is
 * one document write per scope and period instead of two.
 *
 * <p>Indexes: {@code board_top = {board: 1, points: -1, memberId: 1}} and, per category, {@code
 * board_top_<CAT> = {board: 1, byCategory.<CAT>: -1, memberId: 1}} make every board read (top N,
 * the page after a cursor, the neighbours of a member, counting who is ahead, the export cursor) a
 * bounded scan of one index range in board order on MongoDB; single standings and days are read by
 * _id. mongo-java-server ignores the compound indexes and scans (see the benchmark in README).
 */
public final class MongoStandings implements Standings {

  private final MongoCollection<Document> standings;
  private final MongoCollection<Document> daily;
  private final MongoCollection<Document> checkpoints;
  private final PositionedDocuments boardWrites;
  private final PositionedDocuments dayWrites;

  public MongoStandings(MongoStore store) {
    this.standings = store.database().getCollection("standings");
    this.daily = store.database().getCollection("standings_daily");
    this.checkpoints = store.database().getCollection("ledger_checkpoints");
    this.boardWrites = new PositionedDocuments(store, standings);
    this.dayWrites = new PositionedDocuments(store, daily);
  }

  /**
   * The fields a board is read by: an ALL board ({@code category} null) its documents' own, a
   * category board its category's fields on the documents of the ALL board of the same scope and
   * period ({@code board}).
   */
  private record Fields(String board, String category) {

    static Fields of(Board board) {
      return new Fields(
          Board.key(board.scope(), board.period().key(), Board.ALL_CATEGORIES),
          board.isAllCategories() ? null : board.category());
    }

    String points() {
      return category == null ? "points" : "byCategory." + category;
    }

    String entries() {
      return category == null ? "entries" : "entriesByCategory." + category;
    }

    String lastTxId() {
      return category == null ? "lastTxId" : "lastTxIdByCategory." + category;
    }

    String lastBlock() {
      return category == null ? "lastBlock" : "lastBlockByCategory." + category;
    }

    Bson order() {
      return Sorts.orderBy(Sorts.descending(points()), Sorts.ascending("memberId"));
    }

    Bson reverseOrder() {
      return Sorts.orderBy(Sorts.ascending(points()), Sorts.descending("memberId"));
    }

    String id(String memberId) {
      return board + "|" + memberId;
    }

    /**
     * The member's standing on the board; on a category board null when no entry of its category
     * counted for them, and without a breakdown by category, as its own documents had.
     */
    Standing toStanding(Document document) {
      if (document == null || category == null) {
        return MongoStandings.toStanding(document);
      }
      Long onBoard = numberAt(document, points());
      if (onBoard == null) {
        return null;
      }
      return new Standing(
          document.getString("memberId"),
          onBoard,
          orZero(numberAt(document, entries())),
          Map.of(),
          DottedPaths.valueAt(document, lastTxId()) instanceof String txId ? txId : null,
          orZero(numberAt(document, lastBlock())));
    }
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    List<IndexModel> boardOrders = new ArrayList<>(List.of(boardTop("points", "board_top")));
    Board.CATEGORIES.forEach(
        category -> boardOrders.add(boardTop("byCategory." + category, "board_top_" + category)));
    return Publishers.done(standings.createIndexes(boardOrders))
        .compose(v -> boardWrites.createIndexes())
        .compose(v -> dayWrites.createIndexes());
  }

  private static IndexModel boardTop(String points, String name) {
    return new IndexModel(
        Indexes.compoundIndex(
            Indexes.ascending("board"), Indexes.descending(points), Indexes.ascending("memberId")),
        new IndexOptions().name(name));
  }

  @Override
  public Future<Void> credit(List<BoardCredit> boards, List<DayCredit> days) {
    return boardWrites
        .apply(boards.stream().map(MongoStandings::change).toList())
        .compose(v -> dayWrites.apply(days.stream().map(MongoStandings::change).toList()));
  }

  @Override
  public Future<Void> rebuildMember(String memberId, List<BoardCredit> boards) {
    return boardWrites.rebuild(
        eq("memberId", memberId), boards.stream().map(MongoStandings::change).toList());
  }

  /**
   * The entry on the ALL board's standing, and on its category's fields there (its category board).
   */
  private static Change change(BoardCredit credit) {
    MovedEntry entry = credit.entry();
    Fields categoryBoard = new Fields(credit.boardKey(), entry.category());
    Document increments =
        new Document("points", entry.points())
            .append("entries", 1L)
            .append(categoryBoard.points(), entry.points())
            .append(categoryBoard.entries(), 1L);
    Document sets =
        new Document("lastTxId", entry.txId())
            .append("lastBlock", entry.position().blockNumber())
            .append(categoryBoard.lastTxId(), entry.txId())
            .append(categoryBoard.lastBlock(), entry.position().blockNumber());
    return new Change(
        categoryBoard.id(entry.memberId()),
        entry.position(),
        increments,
        sets,
        new Document("board", credit.boardKey())
            .append("scope", credit.scope())
            .append("period", credit.periodKey())
            .append("category", Board.ALL_CATEGORIES)
            .append("memberId", entry.memberId()));
  }

  private static Change change(DayCredit credit) {
    MovedEntry entry = credit.entry();
    return new Change(
        dayId(credit.scope(), credit.category(), entry.occurredOn()),
        entry.position(),
        new Document("points", entry.points()),
        new Document(),
        new Document("scope", credit.scope())
            .append("category", credit.category())
            .append("day", entry.occurredOn().toString()));
  }

  @Override
  public Future<Standing> find(Board board, String memberId) {
    Fields fields = Fields.of(board);
    return Publishers.first(standings.find(eq("_id", fields.id(memberId)))).map(fields::toStanding);
  }

  @Override
  public Future<List<Standing>> page(Board board, Set<String> excluded, Standing after, int limit) {
    Fields fields = Fields.of(board);
    String points = fields.points();
    List<Bson> conditions = new ArrayList<>(List.of(eq("board", fields.board()), gt(points, 0L)));
    if (after != null) {
      conditions.add(
          or(
              lt(points, after.points()),
              and(eq(points, after.points()), gt("memberId", after.memberId()))));
    }
    return firstShown(
        standings.find(and(conditions)).sort(fields.order()), fields, excluded, limit);
  }

  @Override
  public Future<List<Standing>> before(
      Board board, Set<String> excluded, Standing standing, int limit) {
    Fields fields = Fields.of(board);
    String points = fields.points();
    Bson above =
        and(
            eq("board", fields.board()),
            or(
                gt(points, standing.points()),
                and(eq(points, standing.points()), lt("memberId", standing.memberId()))));
    return firstShown(standings.find(above).sort(fields.reverseOrder()), fields, excluded, limit)
        .map(
            found -> {
              List<Standing> nearestFirst = new ArrayList<>(found);
              Collections.reverse(nearestFirst);
              return nearestFirst;
            });
  }

  /**
   * The first {@code limit} standings of {@code found} whose member is not excluded, read batch by
   * batch. Excluded members are skipped here, not left out by a {@code $nin} of every hidden id:
   * mongo-java-server checks a {@code $nin} list linearly for every standing of the board (2,000
   * hidden members made a top-100 of a 100,000-member board take 17–21 s there), and on MongoDB the
   * cursor reads board_top only as far as the last standing shown.
   */
  private static Future<List<Standing>> firstShown(
      FindPublisher<Document> found, Fields fields, Set<String> excluded, int limit) {
    BoardReader reader =
        new MongoBoardReader(
            Vertx.currentContext(), found.batchSize(limit), limit, fields::toStanding);
    return firstShown(reader, excluded, limit, new ArrayList<>())
        .onComplete(done -> reader.close());
  }

  private static Future<List<Standing>> firstShown(
      BoardReader reader, Set<String> excluded, int limit, List<Standing> shown) {
    return reader
        .next()
        .compose(
            batch -> {
              for (Standing standing : batch) {
                if (!excluded.contains(standing.memberId()) && shown.size() < limit) {
                  shown.add(standing);
                }
              }
              return batch.isEmpty() || shown.size() == limit
                  ? Future.succeededFuture(shown)
                  : firstShown(reader, excluded, limit, shown);
            });
  }

  /**
   * Counted without the excluded members, whose own standings are then read by _id and taken off: a
   * count with a {@code $nin} of every hidden id is a linear check per standing on
   * mongo-java-server.
   */
  @Override
  public Future<Map<Long, Long>> countAbove(Board board, Set<String> excluded, Set<Long> points) {
    Fields fields = Fields.of(board);
    Map<Long, Future<Long>> everyone = new HashMap<>();
    points.forEach(
        value ->
            everyone.put(
                value,
                Publishers.first(
                    standings.countDocuments(
                        and(eq("board", fields.board()), gt(fields.points(), value))))));
    Future<List<Document>> hidden =
        IdLookup.byIds(standings, excluded.stream().map(fields::id).toList());
    List<Future<?>> all = new ArrayList<>(everyone.values());
    all.add(hidden);
    return Future.all(all)
        .map(
            done -> {
              Map<Long, Long> ahead = new HashMap<>();
              everyone.forEach(
                  (value, count) ->
                      ahead.put(
                          value,
                          count.result()
                              - hidden.result().stream()
                                  .map(d -> numberAt(d, fields.points()))
                                  .filter(p -> p != null && p > value)
                                  .count()));
              return ahead;
            });
  }

  @Override
  public Future<List<DailyPoints>> daily(String scope, String category, List<LocalDate> days) {
    List<String> ids = days.stream().map(day -> dayId(scope, category, day)).toList();
    return IdLookup.byIds(daily, ids)
        .map(
            documents -> {
              Map<String, Long> byDay = new HashMap<>();
              documents.forEach(d -> byDay.put(d.getString("day"), Documents.number(d, "points")));
              return days.stream()
                  .map(day -> new DailyPoints(day, byDay.getOrDefault(day.toString(), 0L)))
                  .toList();
            });
  }

  @Override
  public BoardReader read(Board board, int batchSize) {
    Fields fields = Fields.of(board);
    return new MongoBoardReader(
        Vertx.currentContext(),
        standings
            .find(and(eq("board", fields.board()), gt(fields.points(), 0L)))
            .sort(fields.order())
            .batchSize(batchSize),
        batchSize,
        fields::toStanding);
  }

  /** One $group over the board's index range; hidden members are left out in the $match. */
  @Override
  public Future<BoardTotal> total(Board board, Set<String> excluded) {
    Fields fields = Fields.of(board);
    Bson onBoard = and(eq("board", fields.board()), gt(fields.points(), 0L));
    Bson match = excluded.isEmpty() ? onBoard : and(onBoard, nin("memberId", excluded));
    return Publishers.all(
            standings.aggregate(
                List.of(
                    new Document("$match", match),
                    new Document(
                        "$group",
                        new Document("_id", null)
                            .append("points", new Document("$sum", "$" + fields.points()))
                            .append("participants", new Document("$sum", 1))))))
        .map(
            groups ->
                groups.isEmpty()
                    ? new BoardTotal(0, 0)
                    : new BoardTotal(
                        Documents.number(groups.get(0), "points"),
                        Documents.number(groups.get(0), "participants")));
  }

  @Override
  public Future<Long> projectedBlock() {
    return Publishers.first(checkpoints.find(eq("_id", ProjectorCheckpoints.STANDINGS)))
        .map(checkpoint -> checkpoint == null ? 0L : Documents.number(checkpoint, "blockNumber"));
  }

  private static String dayId(String scope, String category, LocalDate day) {
    return scope + "|" + category + "|" + day;
  }

  static Standing toStanding(Document document) {
    if (document == null) {
      return null;
    }
    Map<String, Long> byCategory = new HashMap<>();
    Document categories = document.get("byCategory", Document.class);
    if (categories != null) {
      categories.forEach(
          (category, points) -> byCategory.put(category, ((Number) points).longValue()));
    }
    return new Standing(
        document.getString("memberId"),
        Documents.number(document, "points"),
        Documents.number(document, "entries"),
        byCategory,
        document.getString("lastTxId"),
        Documents.number(document, "lastBlock"));
  }

  /** The number at a dotted path ({@code byCategory.STUDY}), null when there is none. */
  private static Long numberAt(Document document, String path) {
    return DottedPaths.valueAt(document, path) instanceof Number n ? n.longValue() : null;
  }

  private static long orZero(Long value) {
    return value == null ? 0L : value;
  }
}
