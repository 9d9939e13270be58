package org.civicpoints.api.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Standing;

/**
 * Where a page of a board ended: the last standing (points, memberId), its rank and how many
 * members were listed before it, so the next page continues the competition ranking without
 * counting again. Opaque to clients (base64url), bound to its board.
 */
record BoardCursor(String boardKey, long points, String memberId, long rank, long listed) {

  private static final String VERSION = "1";

  static BoardCursor start(String boardKey) {
    return new BoardCursor(boardKey, Long.MIN_VALUE, null, 0, 0);
  }

  /**
   * The cursor after {@code standing}: tied points keep the rank, otherwise rank = its position.
   */
  BoardCursor next(Standing standing) {
    long position = listed + 1;
    long nextRank = listed > 0 && standing.points() == points ? rank : position;
    return new BoardCursor(boardKey, standing.points(), standing.memberId(), nextRank, position);
  }

  /** The standing to continue after, or null on the first page. */
  Standing after() {
    return listed == 0 ? null : new Standing(memberId, points, 0, Map.of(), null, 0);
  }

  String encode() {
    String state =
        String.join(
            "\n",
            VERSION,
            boardKey,
            Long.toString(points),
            memberId,
            Long.toString(rank),
            Long.toString(listed));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(state.getBytes(StandardCharsets.UTF_8));
  }

  static BoardCursor decode(String text, String boardKey) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 6 || !VERSION.equals(parts[0])) {
        throw invalid("notOurCursor");
      }
      if (!parts[1].equals(boardKey)) {
        throw invalid("otherBoardCursor");
      }
      long rank = Long.parseLong(parts[4]);
      long listed = Long.parseLong(parts[5]);
      if (rank < 1 || listed < rank || !parts[3].matches("m_[a-z2-7]{20}")) {
        throw invalid("notOurCursor");
      }
      return new BoardCursor(boardKey, Long.parseLong(parts[2]), parts[3], rank, listed);
    } catch (IllegalArgumentException malformed) {
      throw invalid("notOurCursor");
    }
  }

  private static DomainException invalid(String messageKey) {
    return DomainException.invalidField("query.cursor", messageKey, Map.of());
  }
}
