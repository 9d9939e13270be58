package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.DailyPoints;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.Standing;

/**
 * The standings read model: a member's standing on every board, read in board order (points
 * descending, memberId ascending), and points per (scope, category, day) for trends. Only the ALL
 * boards are written: a member's standing on an ALL board also keeps each category apart, and a
 * category board of the same scope and period is read from those. Reads that take {@code excluded}
 * leave those members out (members hidden from public boards).
 */
public interface Standings {

  /**
   * One entry counted on a member's standing of the ALL board of a scope and period, in its points
   * and in its category's; the category board of that scope and period is read from it.
   */
  record BoardCredit(String scope, String periodKey, MovedEntry entry) {

    public String boardKey() {
      return Board.key(scope, periodKey, Board.ALL_CATEGORIES);
    }
  }

  /** One entry counted on a scope's day, for trends. */
  record DayCredit(String scope, String category, MovedEntry entry) {}

  /**
   * Counts the credits (in chain order), each at most once: a credit at or before the last position
   * its standing (or day) took in is a repeat and changes nothing.
   */
  Future<Void> credit(List<BoardCredit> boards, List<DayCredit> days);

  /**
   * Writes the member's standings anew from {@code boards}, the credits of all of the member's
   * entries in chain order, and deletes their standings on other boards (a repair); days are left
   * as they are. Fails when the projector took in a later entry of the member meanwhile.
   */
  Future<Void> rebuildMember(String memberId, List<BoardCredit> boards);

  /**
   * The member's standing on the board; null when no entry of the board's category counted for
   * them.
   */
  Future<Standing> find(Board board, String memberId);

  /**
   * The next {@code limit} standings with points above zero after {@code after} (null: from the
   * top), in board order.
   */
  Future<List<Standing>> page(Board board, Set<String> excluded, Standing after, int limit);

  /** Up to {@code limit} standings just before {@code standing} in board order, nearest last. */
  Future<List<Standing>> before(Board board, Set<String> excluded, Standing standing, int limit);

  /** For each value of {@code points}, how many standings have more points than it. */
  Future<Map<Long, Long>> countAbove(Board board, Set<String> excluded, Set<Long> points);

  Future<List<DailyPoints>> daily(String scope, String category, List<LocalDate> days);

  /**
   * A board (points above zero) read in order in batches of {@code batchSize}; the next batch is
   * fetched only when asked for.
   */
  BoardReader read(Board board, int batchSize);

  /** A board's points (above zero) summed, and how many members hold them. */
  record BoardTotal(long points, long participants) {}

  /** The board's total without the excluded members. */
  Future<BoardTotal> total(Board board, Set<String> excluded);

  /** The block the standings projector has applied up to, 0 before its first block. */
  Future<Long> projectedBlock();

  interface BoardReader {
    /** The next batch in board order; empty once the board is exhausted. */
    Future<List<Standing>> next();

    void close();
  }
}
