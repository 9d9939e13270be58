package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.civicpoints.api.domain.Board;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.PartyMembership;
import org.civicpoints.api.domain.Period;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.PointsProjection;
import org.civicpoints.api.port.Standings;

/**
 * Keeps standings: each award, adjustment or reversal counts on every board it belongs to —
 * its community, street, district, the city and the member's party branch (when verified), in
 * each period containing the day of the activity, for ALL and for its category. Redemptions carry
 * no category or org unit and leave standings alone: standings are points earned minus reversed,
 * not balances.
 */
public final class StandingsProjection implements PointsProjection {

  private static final Duration BRANCH_CACHE_TTL = Duration.ofSeconds(60);
  private static final int BRANCH_CACHE_LIMIT = 50_000;

  private final Standings standings;
  private final Members members;
  private final OrganisationService organisation;
  private final Clock clock;
  private final Map<String, CachedBranch> branches = new ConcurrentHashMap<>();

  private record CachedBranch(Optional<String> branchId, Instant until) {}

  public StandingsProjection(Standings standings, Members members, OrganisationService organisation, Clock clock) {
    this.standings = standings;
    this.members = members;
    this.organisation = organisation;
    this.clock = clock;
  }

  /** Entries in order: two entries of one transaction may touch the same standing. */
  @Override
  public Future<Void> apply(List<MovedEntry> entries) {
    Future<Void> applied = Future.succeededFuture();
    for (MovedEntry entry : entries) {
      applied = applied.compose(v -> applyEntry(entry));
    }
    return applied;
  }

  private Future<Void> applyEntry(MovedEntry entry) {
    if (!countsForStandings(entry)) {
      return Future.succeededFuture();
    }
    return branchOf(entry.memberId()).compose(branch -> {
      List<Future<Boolean>> writes = new ArrayList<>();
      for (String scope : scopesOf(entry.orgUnitId(), branch)) {
        for (String category : List.of(Board.ALL_CATEGORIES, entry.category())) {
          for (Period period : Period.containing(entry.occurredOn())) {
            writes.add(standings.add(Board.key(scope, period.key(), category), scope, period.key(), category, entry,
                Board.ALL_CATEGORIES.equals(category)));
          }
          writes.add(standings.addDaily(scope, category, entry));
        }
      }
      return Future.all(writes).mapEmpty();
    });
  }

  static boolean countsForStandings(MovedEntry entry) {
    return !"REDEMPTION".equals(entry.kind()) && entry.category() != null && entry.orgUnitId() != null
        && entry.points() != 0;
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

  /** Branch membership changes rarely and a burst of entries is mostly a few members: cache it briefly. */
  private Future<Optional<String>> branchOf(String memberId) {
    Instant now = clock.instant();
    CachedBranch cached = branches.get(memberId);
    if (cached != null && cached.until().isAfter(now)) {
      return Future.succeededFuture(cached.branchId());
    }
    return members.findById(memberId).map(member -> {
      Optional<String> branch = Optional.ofNullable(member)
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
