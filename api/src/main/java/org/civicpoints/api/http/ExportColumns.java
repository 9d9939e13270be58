package org.civicpoints.api.http;

import java.util.ArrayList;
import java.util.List;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.service.LeaderboardExport;
import org.civicpoints.api.service.LeaderboardExport.Row;

/**
 * The columns of a leaderboard export, the same for CSV and XLSX: numbers as Long, text as String.
 */
final class ExportColumns {

  private final String exportedAt;
  private final String exportedBy;

  /** The export's own columns are the same on every row, so they are formatted once. */
  ExportColumns(LeaderboardExport export) {
    this.exportedAt = export.exportedAt().toString();
    this.exportedBy = export.exportedBy();
  }

  static List<String> headers() {
    List<String> headers =
        new ArrayList<>(
            List.of("rank", "member_id", "display_name", "community", "party_branch", "points"));
    Board.CATEGORIES.forEach(category -> headers.add("points_" + category.toLowerCase()));
    headers.addAll(
        List.of("entries", "last_tx_id", "last_block", "exported_at", "exported_by", "opted_out"));
    return headers;
  }

  /** One row's cells in header order; null for an empty cell. */
  List<Object> cells(Row row) {
    List<Object> cells = new ArrayList<>(16);
    cells.add(row.rank());
    cells.add(row.memberId());
    cells.add(row.displayName());
    cells.add(row.community());
    cells.add(row.partyBranch());
    cells.add(row.points());
    Board.CATEGORIES.forEach(category -> cells.add(row.pointsByCategory().get(category)));
    cells.add(row.entries());
    cells.add(row.lastTxId());
    cells.add(row.lastBlock());
    cells.add(exportedAt);
    cells.add(exportedBy);
    cells.add(row.optedOut() ? "true" : "false");
    return cells;
  }

  /**
   * attachment; filename="leaderboard_city_week-2026-W48_ALL.csv" — only [a-z0-9_-.] from the
   * board.
   */
  static String disposition(LeaderboardExport export, String extension) {
    Board board = export.board();
    String name =
        String.join(
            "_",
            "leaderboard",
            board.scope().replace(':', '-'),
            board.period().key().replace(':', '-'),
            board.category());
    return "attachment; filename=\"" + name + "." + extension + "\"";
  }
}
