package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lt;
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
import org.civicpoints.api.domain.DailyPoints;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.Standing;
import org.civicpoints.api.mongo.PositionedDocuments.Change;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.port.Standings;

/**
 * Standings in "standings" ({@code _id = board|memberId}) and daily points in "standings_daily"
 * ({@code _id = scope|category|day}), both written in bulk by {@link PositionedDocuments}: each
 * document takes in an entry once, by compare-and-set on the last chain position it holds.
 *
 * <p>Indexes: {@code board_top = {board: 1, points: -1, memberId: 1}} makes every board read (top N,
 * the page after a cursor, the neighbours of a member, counting who is ahead, the export cursor)
 * a bounded scan of one index range in board order on MongoDB; single standings and days are read
 * by _id. mongo-java-server ignores the compound index and scans (see the benchmark in README).
 */
public final class MongoStandings implements Standings {

  private static final Bson BOARD_ORDER = Sorts.orderBy(Sorts.descending("points"), Sorts.ascending("memberId"));
  private static final Bson REVERSE_BOARD_ORDER = Sorts.orderBy(Sorts.ascending("points"), Sorts.descending("memberId"));

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

  @Override
  public Future<Void> createIndexes() {
    return Publishers.done(standings.createIndexes(List.of(new IndexModel(
        Indexes.compoundIndex(Indexes.ascending("board"), Indexes.descending("points"), Indexes.ascending("memberId")),
        new IndexOptions().name("board_top")))))
        .compose(v -> boardWrites.createIndexes())
        .compose(v -> dayWrites.createIndexes());
  }

  @Override
  public Future<Void> credit(List<BoardCredit> boards, List<DayCredit> days) {
    return boardWrites.apply(boards.stream().map(MongoStandings::change).toList())
        .compose(v -> dayWrites.apply(days.stream().map(MongoStandings::change).toList()));
  }

  private static Change change(BoardCredit credit) {
    MovedEntry entry = credit.entry();
    Document increments = new Document("points", entry.points()).append("entries", 1L);
    if (credit.keepCategoryBreakdown()) {
      increments.append("byCategory." + entry.category(), entry.points());
    }
    return new Change(credit.boardKey() + "|" + entry.memberId(), entry.position(), increments,
        new Document("lastTxId", entry.txId()).append("lastBlock", entry.position().blockNumber()),
        new Document("board", credit.boardKey()).append("scope", credit.scope()).append("period", credit.periodKey())
            .append("category", credit.category()).append("memberId", entry.memberId()));
  }

  private static Change change(DayCredit credit) {
    MovedEntry entry = credit.entry();
    return new Change(dayId(credit.scope(), credit.category(), entry.occurredOn()), entry.position(),
        new Document("points", entry.points()), new Document(),
        new Document("scope", credit.scope()).append("category", credit.category())
            .append("day", entry.occurredOn().toString()));
  }

  @Override
  public Future<Standing> find(String boardKey, String memberId) {
    return Publishers.first(standings.find(eq("_id", boardKey + "|" + memberId))).map(MongoStandings::toStanding);
  }

  @Override
  public Future<List<Standing>> page(String boardKey, Set<String> excluded, Standing after, int limit) {
    List<Bson> conditions = new ArrayList<>(List.of(eq("board", boardKey), gt("points", 0L)));
    if (after != null) {
      conditions.add(or(lt("points", after.points()), and(eq("points", after.points()), gt("memberId", after.memberId()))));
    }
    return firstShown(standings.find(and(conditions)).sort(BOARD_ORDER), excluded, limit);
  }

  @Override
  public Future<List<Standing>> before(String boardKey, Set<String> excluded, Standing standing, int limit) {
    Bson above = and(eq("board", boardKey),
        or(gt("points", standing.points()), and(eq("points", standing.points()), lt("memberId", standing.memberId()))));
    return firstShown(standings.find(above).sort(REVERSE_BOARD_ORDER), excluded, limit).map(found -> {
      List<Standing> nearestFirst = new ArrayList<>(found);
      Collections.reverse(nearestFirst);
      return nearestFirst;
    });
  }

  /**
   * The first {@code limit} standings of {@code found} whose member is not excluded, read batch by
   * batch. Excluded members are skipped here, not left out by a {@code $nin} of every hidden id:
   * mongo-java-server checks a {@code $nin} list linearly for every standing of the board (2,000
   * hidden members made a top-100 of a 100,000-member board take 17–21 s there), and on MongoDB
   * the cursor reads board_top only as far as the last standing shown.
   */
  private static Future<List<Standing>> firstShown(FindPublisher<Document> found, Set<String> excluded, int limit) {
    BoardReader reader = new MongoBoardReader(Vertx.currentContext(), found.batchSize(limit), limit,
        MongoStandings::toStanding);
    return firstShown(reader, excluded, limit, new ArrayList<>()).onComplete(done -> reader.close());
  }

  private static Future<List<Standing>> firstShown(BoardReader reader, Set<String> excluded, int limit,
      List<Standing> shown) {
    return reader.next().compose(batch -> {
      for (Standing standing : batch) {
        if (!excluded.contains(standing.memberId()) && shown.size() < limit) {
          shown.add(standing);
        }
      }
      return batch.isEmpty() || shown.size() == limit ? Future.succeededFuture(shown)
          : firstShown(reader, excluded, limit, shown);
    });
  }

  /**
   * Counted without the excluded members, whose own standings are then read by _id and taken off:
   * a count with a {@code $nin} of every hidden id is a linear check per standing on mongo-java-server.
   */
  @Override
  public Future<Map<Long, Long>> countAbove(String boardKey, Set<String> excluded, Set<Long> points) {
    Map<Long, Future<Long>> everyone = new HashMap<>();
    points.forEach(value -> everyone.put(value,
        Publishers.first(standings.countDocuments(and(eq("board", boardKey), gt("points", value))))));
    Future<List<Document>> hidden = IdLookup.byIds(standings, excluded.stream().map(id -> boardKey + "|" + id).toList());
    List<Future<?>> all = new ArrayList<>(everyone.values());
    all.add(hidden);
    return Future.all(all).map(done -> {
      Map<Long, Long> ahead = new HashMap<>();
      everyone.forEach((value, count) -> ahead.put(value, count.result()
          - hidden.result().stream().filter(d -> number(d, "points") > value).count()));
      return ahead;
    });
  }

  @Override
  public Future<List<DailyPoints>> daily(String scope, String category, List<LocalDate> days) {
    List<String> ids = days.stream().map(day -> dayId(scope, category, day)).toList();
    return Publishers.all(daily.find(in("_id", ids))).map(documents -> {
      Map<String, Long> byDay = new HashMap<>();
      documents.forEach(d -> byDay.put(d.getString("day"), number(d, "points")));
      return days.stream().map(day -> new DailyPoints(day, byDay.getOrDefault(day.toString(), 0L))).toList();
    });
  }

  @Override
  public BoardReader read(String boardKey, int batchSize) {
    return new MongoBoardReader(Vertx.currentContext(),
        standings.find(and(eq("board", boardKey), gt("points", 0L))).sort(BOARD_ORDER).batchSize(batchSize), batchSize,
        MongoStandings::toStanding);
  }

  @Override
  public Future<Long> projectedBlock() {
    return Publishers.first(checkpoints.find(eq("_id", ProjectorCheckpoints.STANDINGS)))
        .map(checkpoint -> checkpoint == null ? 0L : number(checkpoint, "blockNumber"));
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
      categories.forEach((category, points) -> byCategory.put(category, ((Number) points).longValue()));
    }
    return new Standing(document.getString("memberId"), number(document, "points"), number(document, "entries"),
        byCategory, document.getString("lastTxId"), number(document, "lastBlock"));
  }

  private static long number(Document document, String field) {
    Object value = document.get(field);
    return value instanceof Number n ? n.longValue() : 0L;
  }
}
