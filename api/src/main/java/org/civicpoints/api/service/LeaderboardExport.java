package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.domain.Standing;
import org.civicpoints.api.port.BoardMembers;
import org.civicpoints.api.port.ExportAudit;
import org.civicpoints.api.port.Standings.BoardReader;

/**
 * One export of a board for its organizers, read in batches so that whoever writes it out can stop
 * asking while the client is slow. Every member on the board is listed with their real display
 * name; members hidden from public boards are flagged and have no public rank.
 */
public final class LeaderboardExport {

  /** {@code rank} is the public board's rank, null for members who opted out. */
  public record Row(
      Long rank,
      String memberId,
      String displayName,
      String community,
      String partyBranch,
      long points,
      Map<String, Long> pointsByCategory,
      long entries,
      String lastTxId,
      long lastBlock,
      boolean optedOut) {}

  private final Board board;
  private final String exportedBy;
  private final Instant exportedAt;
  private final BoardReader reader;
  private final BoardMembers members;
  private final OrganisationService organisation;
  private final ExportAudit audit;
  private BoardCursor publicRank;
  private Future<List<Row>> ahead;
  private long rows;

  LeaderboardExport(
      Board board,
      String exportedBy,
      Instant exportedAt,
      BoardReader reader,
      BoardMembers members,
      OrganisationService organisation,
      ExportAudit audit) {
    this.board = board;
    this.exportedBy = exportedBy;
    this.exportedAt = exportedAt;
    this.reader = reader;
    this.members = members;
    this.organisation = organisation;
    this.audit = audit;
    this.publicRank = BoardCursor.start(board.key());
  }

  public Board board() {
    return board;
  }

  public String exportedBy() {
    return exportedBy;
  }

  public Instant exportedAt() {
    return exportedAt;
  }

  /**
   * The next rows in board order; empty when the board is done. One batch is read ahead while the
   * caller writes this one, so the database works while the response is being written.
   */
  public Future<List<Row>> nextRows() {
    Future<List<Row>> current = ahead == null ? readRows() : ahead;
    // The lambda must not capture current: each read-ahead would then hold the one before it, and
    // so every row.
    ahead =
        current.compose(batch -> batch.isEmpty() ? Future.succeededFuture(List.of()) : readRows());
    return current.onSuccess(batch -> rows += batch.size());
  }

  private Future<List<Row>> readRows() {
    return reader
        .next()
        .compose(
            batch -> {
              Set<String> ids = new HashSet<>();
              batch.forEach(s -> ids.add(s.memberId()));
              return members
                  .byIds(ids)
                  .map(
                      profiles -> {
                        List<Row> out = new ArrayList<>(batch.size());
                        batch.forEach(
                            standing -> {
                              Member member = profiles.get(standing.memberId());
                              if (!leftTheBranch(member)) {
                                out.add(row(standing, member));
                              }
                            });
                        return out;
                      });
            });
  }

  /** A branch board's export lists its members only, like the board (see BoardMembers.leftOut). */
  private boolean leftTheBranch(Member member) {
    if (member == null || !Scopes.kind(board.scope()).equals("branch")) {
      return false;
    }
    PartyMembership party = member.partyMembership();
    return party.status() != PartyMembership.Status.VERIFIED
        || !Scopes.unitId(board.scope()).equals(party.branchId());
  }

  private Row row(Standing standing, Member member) {
    boolean optedOut =
        member != null && member.leaderboardVisibility() == LeaderboardVisibility.HIDDEN;
    Long rank = null;
    if (!optedOut) {
      publicRank = publicRank.next(standing);
      rank = publicRank.rank();
    }
    Map<String, Long> byCategory =
        board.isAllCategories()
            ? standing.byCategory()
            : Map.of(board.category(), standing.points());
    return new Row(
        rank,
        standing.memberId(),
        member == null ? null : member.displayName(),
        community(member),
        branch(member),
        standing.points(),
        byCategory,
        standing.entries(),
        standing.lastTxId(),
        standing.lastBlock(),
        optedOut);
  }

  /** An export names the community by its id when the org units no longer know it. */
  private String community(Member member) {
    return member == null
        ? null
        : organisation
            .organisation()
            .communityName(member.communityId())
            .orElse(member.communityId());
  }

  private String branch(Member member) {
    if (member == null || member.partyMembership().status() != PartyMembership.Status.VERIFIED) {
      return null;
    }
    String branchId = member.partyMembership().branchId();
    return organisation
        .organisation()
        .unit(branchId, OrgUnit.Kind.PARTY_BRANCH)
        .map(OrgUnit::name)
        .orElse(branchId);
  }

  /** Stops reading (the client went away, or writing failed) and records what was sent. */
  public Future<Void> close() {
    reader.close();
    return audit.leaderboardExported(exportedBy, board.key(), rows, exportedAt);
  }

  public long rows() {
    return rows;
  }
}
