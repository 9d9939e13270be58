package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DailyPoints;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Period;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.domain.Standing;
import org.civicpoints.api.port.BoardMembers;
import org.civicpoints.api.port.ExportAudit;
import org.civicpoints.api.port.ExportAudit.ExportRecord;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.Standings;
import org.civicpoints.api.port.Standings.BoardTotal;

/**
 * Leaderboards read from the standings read model: pages of a board with standard competition ranks
 * (1, 2, 2, 4; ties in memberId order), the caller's own standing with neighbours, daily trends,
 * and exports. Members who chose HIDDEN are left out of every public list and ranked as if absent;
 * names follow each member's visibility choice.
 */
public final class LeaderboardService {

  public static final int MAX_LIMIT = 100;
  static final int NEIGHBOURS = 2;
  static final int EXPORT_BATCH = 500;

  /** How late a member's change of name, visibility or party branch may show on boards. */
  static final Duration FRESH_FOR = Duration.ofSeconds(2);

  public record RankedMember(
      long rank, String memberId, String displayName, String communityName, long points) {}

  public record BoardPage(
      Board board, long asOfBlock, List<RankedMember> entries, String nextCursor) {}

  /** {@code rank} is null when the caller has no points on the board. */
  public record MyStanding(
      Board board,
      long asOfBlock,
      Long rank,
      long points,
      List<RankedMember> above,
      List<RankedMember> below) {}

  public record Trend(Board board, List<DailyPoints> days) {}

  /** A community's board total: points (hidden members left out) and who earned them. */
  public record CommunityTotal(Community community, long points, long participants) {}

  public record Comparison(Board board, long asOfBlock, List<CommunityTotal> communities) {}

  /** One export in the history, with the exporter's display name (null if they are gone). */
  public record ExportHistoryItem(ExportRecord export, String actorName) {}

  private final Standings standings;
  private final BoardMembers boardMembers;
  private final OrganisationService organisation;
  private final ExportAudit audit;
  private final LeaderboardAccess access;
  private final Clock clock;
  private final RecentBoardReads<Future<BoardPage>> recentPages =
      new RecentBoardReads<>(1_000, FRESH_FOR, System::nanoTime);
  // A left-out set may hold thousands of ids; scopes with their own set are few.
  private final RecentBoardReads<Set<String>> recentLeftOut =
      new RecentBoardReads<>(64, FRESH_FOR, System::nanoTime);

  public LeaderboardService(
      Standings standings,
      BoardMembers boardMembers,
      Members members,
      OrganisationService organisation,
      ExportAudit audit,
      Clock clock) {
    this.standings = standings;
    this.boardMembers = boardMembers;
    this.organisation = organisation;
    this.audit = audit;
    this.access = new LeaderboardAccess(members, organisation);
    this.clock = clock;
  }

  /** The board a request names; each malformed part is a 400 naming its parameter. */
  public static Board board(String scope, String period, String category) {
    String validScope =
        Board.parseScope(scope)
            .orElseThrow(() -> DomainException.invalidField("query.scope", "boardScope", Map.of()));
    Period validPeriod =
        Period.parse(period)
            .orElseThrow(
                () -> DomainException.invalidField("query.period", "boardPeriod", Map.of()));
    String validCategory =
        Board.parseCategory(category == null ? Board.ALL_CATEGORIES : category)
            .orElseThrow(
                () ->
                    DomainException.invalidField(
                        "query.category",
                        "boardCategory",
                        Map.of("categories", String.join(", ", Board.CATEGORIES))));
    return new Board(validScope, validPeriod, validCategory);
  }

  /**
   * A page read lately at the same projected block is answered again (see RecentBoardReads); a read
   * still under way is shared, so many readers of a page cost one read of the store.
   */
  public Future<BoardPage> page(Caller caller, Board board, int limit, String cursor) {
    int size = validLimit(limit);
    BoardCursor start =
        cursor == null ? BoardCursor.start(board.key()) : BoardCursor.decode(cursor, board.key());
    String key = board.key() + "|" + size + "|" + (cursor == null ? "" : cursor);
    return access
        .requireReader(caller, board.scope())
        .compose(v -> standings.projectedBlock())
        .compose(
            block ->
                recentPages
                    .find(key, block)
                    .orElseGet(() -> shared(key, block, board, start, size)));
  }

  private Future<BoardPage> shared(
      String key, long block, Board board, BoardCursor start, int size) {
    Future<BoardPage> page = read(board, start, size);
    recentPages.keep(key, block, page);
    return page.onFailure(failed -> recentPages.forget(key, page));
  }

  private Future<BoardPage> read(Board board, BoardCursor start, int size) {
    return leftOut(board.scope())
        .compose(hidden -> standings.page(board, hidden, start.after(), size + 1))
        .compose(
            found ->
                withMembers(found)
                    .compose(
                        profiles ->
                            standings
                                .projectedBlock()
                                .map(
                                    block -> {
                                      List<Standing> shown =
                                          found.subList(0, Math.min(size, found.size()));
                                      List<RankedMember> entries = new ArrayList<>();
                                      BoardCursor position = start;
                                      for (Standing standing : shown) {
                                        position = position.next(standing);
                                        entries.add(ranked(position.rank(), standing, profiles));
                                      }
                                      return new BoardPage(
                                          board,
                                          block,
                                          entries,
                                          found.size() > size ? position.encode() : null);
                                    })));
  }

  /**
   * Forgets the pages and left-out sets read lately on this instance, so a consent withdrawn or an
   * account deleted here shows on the next read (other instances within {@code FRESH_FOR}).
   */
  public void forgetRecentReads() {
    recentPages.forgetAll();
    recentLeftOut.forgetAll();
  }

  /** Who the board of {@code scope} leaves out, as read at most {@code FRESH_FOR} ago. */
  private Future<Set<String>> leftOut(String scope) {
    return recentLeftOut
        .find(scope, 0)
        .map(Future::succeededFuture)
        .orElseGet(
            () ->
                boardMembers
                    .leftOut(scope)
                    .map(Set::copyOf)
                    .onSuccess(ids -> recentLeftOut.keep(scope, 0, ids)));
  }

  public Future<MyStanding> mine(Caller caller, Board board) {
    return access
        .requireReader(caller, board.scope())
        .compose(
            v ->
                Future.all(
                    leftOut(board.scope()),
                    standings.find(board, caller.memberId()),
                    standings.projectedBlock()))
        .compose(
            all -> {
              Set<String> hidden = all.resultAt(0);
              Standing own = all.resultAt(1);
              long block = all.resultAt(2);
              if (own == null || own.points() <= 0) {
                return Future.succeededFuture(
                    new MyStanding(
                        board, block, null, own == null ? 0 : own.points(), List.of(), List.of()));
              }
              return neighbours(board, hidden, own, block);
            });
  }

  private Future<MyStanding> neighbours(Board board, Set<String> hidden, Standing own, long block) {
    return Future.all(
            standings.before(board, hidden, own, NEIGHBOURS),
            standings.page(board, hidden, own, NEIGHBOURS))
        .compose(
            both -> {
              List<Standing> above = both.resultAt(0);
              List<Standing> below = both.resultAt(1);
              List<Standing> everyone =
                  Stream.of(above, List.of(own), below).flatMap(List::stream).toList();
              return Future.all(ranksOf(board, hidden, everyone), withMembers(everyone))
                  .map(
                      found -> {
                        Map<Long, Long> rankByPoints = found.resultAt(0);
                        Map<String, Member> profiles = found.resultAt(1);
                        return new MyStanding(
                            board,
                            block,
                            rankByPoints.get(own.points()),
                            own.points(),
                            above.stream()
                                .map(s -> ranked(rankByPoints.get(s.points()), s, profiles))
                                .toList(),
                            below.stream()
                                .map(s -> ranked(rankByPoints.get(s.points()), s, profiles))
                                .toList());
                      });
            });
  }

  /** Competition rank of each distinct points value: one more than the members with more points. */
  private Future<Map<Long, Long>> ranksOf(Board board, Set<String> hidden, List<Standing> around) {
    Set<Long> points = new HashSet<>();
    around.forEach(s -> points.add(s.points()));
    return standings
        .countAbove(board, hidden, points)
        .map(
            ahead -> {
              Map<Long, Long> ranks = new HashMap<>();
              ahead.forEach((value, count) -> ranks.put(value, count + 1));
              return ranks;
            });
  }

  public Future<Trend> trend(Caller caller, Board board) {
    if (board.period().isAllTime()) {
      throw DomainException.invalidField("query.period", "trendPeriod", Map.of());
    }
    access.requireTrendReader(caller, board.scope());
    return standings
        .daily(board.scope(), board.category(), board.period().days())
        .map(days -> new Trend(board, days));
  }

  /**
   * The communities of a street or district side by side, each on its own board of the same period
   * and category; other scopes are a 400 naming {@code scope}.
   */
  public Future<Comparison> compare(Caller caller, Board board) {
    String kind = Scopes.kind(board.scope());
    if (!"street".equals(kind) && !"district".equals(kind)) {
      throw DomainException.invalidField("query.scope", "comparisonScope", Map.of());
    }
    access.requireComparisonReader(caller, board.scope());
    List<Community> communities = communitiesIn(board.scope());
    return boardMembers
        .hidden()
        .compose(
            hidden ->
                Future.all(
                    communities.stream()
                        .map(c -> standings.total(communityBoard(board, c), hidden))
                        .toList()))
        .compose(
            totals ->
                standings
                    .projectedBlock()
                    .map(
                        block -> {
                          List<CommunityTotal> rows = new ArrayList<>();
                          for (int i = 0; i < communities.size(); i++) {
                            BoardTotal total = totals.resultAt(i);
                            rows.add(
                                new CommunityTotal(
                                    communities.get(i), total.points(), total.participants()));
                          }
                          return new Comparison(board, block, rows);
                        }));
  }

  private List<Community> communitiesIn(String scope) {
    String unitId = Scopes.unitId(scope);
    boolean street = "street".equals(Scopes.kind(scope));
    return organisation.communities().stream()
        .filter(c -> unitId.equals(street ? c.streetId() : c.districtId()))
        .toList();
  }

  private static Board communityBoard(Board board, Community community) {
    return new Board(Scopes.community(community.communityId()), board.period(), board.category());
  }

  /** Leaderboard exports newest first: admins every one, organizers those of boards they cover. */
  public Future<Page<ExportHistoryItem>> exportHistory(Caller caller, String cursor, int limit) {
    int size = validLimit(limit);
    Cursor after = Cursor.decode(cursor);
    Set<String> scopes = access.exportHistoryScopes(caller);
    if (scopes != null && scopes.isEmpty()) {
      return Future.succeededFuture(new Page<>(List.of(), null));
    }
    return audit
        .list(scopes, after, size)
        .compose(
            page ->
                boardMembers
                    .byIds(page.items().stream().map(ExportRecord::actor).toList())
                    .map(
                        actors ->
                            new Page<>(
                                page.items().stream()
                                    .map(
                                        e ->
                                            new ExportHistoryItem(e, nameOf(actors.get(e.actor()))))
                                    .toList(),
                                page.nextCursor())));
  }

  private static String nameOf(Member member) {
    return member == null ? null : member.displayName();
  }

  /** Checks that the caller may export the board and opens it for reading in batches. */
  public LeaderboardExport export(Caller caller, Board board) {
    access.requireExporter(caller, board.scope());
    return new LeaderboardExport(
        board,
        caller.memberId(),
        clock.instant(),
        standings.read(board, EXPORT_BATCH),
        boardMembers,
        organisation,
        audit);
  }

  private Future<Map<String, Member>> withMembers(List<Standing> found) {
    Set<String> ids = new HashSet<>();
    found.forEach(s -> ids.add(s.memberId()));
    return boardMembers.byIds(ids);
  }

  private RankedMember ranked(long rank, Standing standing, Map<String, Member> profiles) {
    Member member = profiles.get(standing.memberId());
    return new RankedMember(
        rank,
        standing.memberId(),
        PublicNames.of(standing.memberId(), member),
        communityName(member),
        standing.points());
  }

  String communityName(Member member) {
    return member == null
        ? null
        : organisation.organisation().communityName(member.communityId()).orElse(null);
  }

  private static int validLimit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DomainException.invalidField(
          "query.limit", "between", Map.of("min", 1, "max", MAX_LIMIT));
    }
    return limit;
  }
}
