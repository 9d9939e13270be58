package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Period;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.port.Standings;
import org.civicpoints.api.port.Standings.BoardCredit;
import org.civicpoints.api.port.Standings.DayCredit;

/**
 * Keeps standings: each award, adjustment or reversal counts on every board it belongs to — its
 * community, street, district, the city and the member's party branch (when verified), in each
 * period containing the day of the activity, for ALL and for its category (written once, on the ALL
 * board's standing, which keeps each category apart). Redemptions carry no category or org unit and
 * leave standings alone: standings are points earned minus reversed, not balances.
 */
public final class StandingsProjection implements PointsProjection, LedgerProjector.Handler {

  private static final Duration BRANCH_CACHE_TTL = Duration.ofSeconds(60);
  private static final int BRANCH_CACHE_LIMIT = 50_000;

  private final Standings standings;
  private final Members members;
  private final OrganisationService organisation;
  private final Clock clock;
  private final Map<String, CachedBranch> branches = new ConcurrentHashMap<>();

  private record CachedBranch(Optional<String> branchId, Instant until) {}

  public StandingsProjection(
      Standings standings, Members members, OrganisationService organisation, Clock clock) {
    this.standings = standings;
    this.members = members;
    this.organisation = organisation;
    this.clock = clock;
  }

  /** The standings projector's work: the entries of PointsMoved events counted on their boards. */
  @Override
  public Future<Void> handle(List<ChainEvent> events) {
    return apply(LedgerProjector.movedEntries(events));
  }

  /**
   * Entries in chain order (of one or more transactions), counted on every board in one bulk write:
   * a board document takes the sum of its entries past its last position.
   */
  @Override
  public Future<Void> apply(List<MovedEntry> entries) {
    List<MovedEntry> counted =
        entries.stream().filter(StandingsProjection::countsForStandings).toList();
    Map<String, Future<Optional<String>>> branchByMember = new HashMap<>();
    counted.forEach(entry -> branchByMember.computeIfAbsent(entry.memberId(), this::branchOf));
    return Future.all(List.copyOf(branchByMember.values()))
        .compose(
            found -> {
              List<BoardCredit> boards = new ArrayList<>();
              List<DayCredit> days = new ArrayList<>();
              counted.forEach(
                  entry ->
                      credit(entry, branchByMember.get(entry.memberId()).result(), boards, days));
              return standings.credit(boards, days);
            });
  }

  /**
   * The entry's ALL board of each scope and period (its category board is read from that one's
   * standings, which keep each category apart), and its scope's day for ALL and for its category.
   */
  private void credit(
      MovedEntry entry, Optional<String> branch, List<BoardCredit> boards, List<DayCredit> days) {
    for (String scope : scopesOf(entry.orgUnitId(), branch)) {
      for (Period period : Period.containing(entry.occurredOn())) {
        boards.add(new BoardCredit(scope, period.key(), entry));
      }
      for (String category : List.of(Board.ALL_CATEGORIES, entry.category())) {
        days.add(new DayCredit(scope, category, entry));
      }
    }
  }

  static boolean countsForStandings(MovedEntry entry) {
    return countsForStandings(entry.kind(), entry.category(), entry.orgUnitId(), entry.points());
  }

  static boolean countsForStandings(
      EntryKind kind, String category, String orgUnitId, long points) {
    return kind != EntryKind.REDEMPTION && category != null && orgUnitId != null && points != 0;
  }

  /**
   * The keys of the ALL boards an entry of {@code communityId} on {@code day} counts on, but for a
   * party branch's (membership is read when the entry is projected, so only the projector knows).
   */
  List<String> boardKeys(String communityId, java.time.LocalDate day) {
    List<String> keys = new ArrayList<>();
    for (String scope : scopesOf(communityId, Optional.empty())) {
      for (Period period : Period.containing(day)) {
        keys.add(Board.key(scope, period.key(), Board.ALL_CATEGORIES));
      }
    }
    return keys;
  }

  /** The member's standings written anew from all of their entries, in chain order (a repair). */
  Future<Void> rebuild(String memberId, List<MovedEntry> entries) {
    return branchOf(memberId)
        .compose(
            branch -> {
              List<BoardCredit> boards = new ArrayList<>();
              entries.stream()
                  .filter(StandingsProjection::countsForStandings)
                  .forEach(entry -> credit(entry, branch, boards, new ArrayList<>()));
              return standings.rebuildMember(memberId, boards);
            });
  }

  private List<String> scopesOf(String communityId, Optional<String> branch) {
    List<String> scopes = new ArrayList<>();
    scopes.add(Scopes.community(communityId));
    Optional<Community> community = organisation.organisation().community(communityId);
    community.map(Community::streetId).ifPresent(street -> scopes.add(Scopes.street(street)));
    community.map(Community::districtId).ifPresent(district -> scopes.add("district:" + district));
    scopes.add(Scopes.CITY);
    branch.ifPresent(id -> scopes.add("branch:" + id));
    return scopes;
  }

  /**
   * Branch membership changes rarely and a burst of entries is mostly a few members: cache it
   * briefly.
   */
  private Future<Optional<String>> branchOf(String memberId) {
    Instant now = clock.instant();
    CachedBranch cached = branches.get(memberId);
    if (cached != null && cached.until().isAfter(now)) {
      return Future.succeededFuture(cached.branchId());
    }
    return members
        .findById(memberId)
        .map(
            member -> {
              Optional<String> branch =
                  Optional.ofNullable(member)
                      .map(m -> m.partyMembership())
                      .filter(party -> party.status() == PartyMembership.Status.VERIFIED)
                      .map(PartyMembership::branchId);
              if (branches.size() >= BRANCH_CACHE_LIMIT) {
                branches.clear();
              }
              branches.put(memberId, new CachedBranch(branch, now.plus(BRANCH_CACHE_TTL)));
              return branch;
            });
  }
}
