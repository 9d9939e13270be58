package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.Member;

/**
 * What leaderboards read about members: who opted out, and the profiles of the members on a page.
 */
public interface BoardMembers {

  /** Ids of members whose leaderboard visibility is HIDDEN. */
  Future<Set<String>> hidden();

  /**
   * Ids of members a board of {@code scope} leaves out: those HIDDEN, and on a party branch's board
   * those who left the branch (their standings stay, they no longer count there) or withdrew their
   * consent to be listed there.
   */
  Future<Set<String>> leftOut(String scope);

  /** The members with these ids that exist, by id. */
  Future<Map<String, Member>> byIds(Collection<String> memberIds);
}
