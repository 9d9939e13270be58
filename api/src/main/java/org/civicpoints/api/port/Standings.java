package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.DailyPoints;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.Standing;

/**
 * The standings read model: one document per (board, member) kept in board order
 * (points descending, memberId ascending), and points per (scope, category, day) for trends.
 * Reads that take {@code excluded} leave those members out (members hidden from public boards).
 */
public interface Standings {

  Future<Void> createIndexes();

  /** One entry counted on a member's standing of a board ({@code keepCategoryBreakdown} on ALL boards). */
  record BoardCredit(String boardKey, String scope, String periodKey, String category, boolean keepCategoryBreakdown,
      MovedEntry entry) {}

  /** One entry counted on a scope's day, for trends. */
  record DayCredit(String scope, String category, MovedEntry entry) {}

  /**
   * Counts the credits (in chain order), each at most once: a credit at or before the last position
   * its standing (or day) took in is a repeat and changes nothing.
   */
  Future<Void> credit(List<BoardCredit> boards, List<DayCredit> days);

  Future<Standing> find(String boardKey, String memberId);

  /** The next {@code limit} standings with points above zero after {@code after} (null: from the top), in board order. */
  Future<List<Standing>> page(String boardKey, Set<String> excluded, Standing after, int limit);

  /** Up to {@code limit} standings just before {@code standing} in board order, nearest last. */
  Future<List<Standing>> before(String boardKey, Set<String> excluded, Standing standing, int limit);

  /** For each value of {@code points}, how many standings have more points than it. */
  Future<Map<Long, Long>> countAbove(String boardKey, Set<String> excluded, Set<Long> points);

  Future<List<DailyPoints>> daily(String scope, String category, List<LocalDate> days);

  /** A board (points above zero) read in order in batches of {@code batchSize}; the next batch is fetched only when asked for. */
  BoardReader read(String boardKey, int batchSize);

  /** The block the standings projector has applied up to, 0 before its first block. */
  Future<Long> projectedBlock();

  interface BoardReader {
    /** The next batch in board order; empty once the board is exhausted. */
    Future<List<Standing>> next();

    void close();
  }
}
