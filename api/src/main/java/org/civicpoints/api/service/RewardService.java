package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Reward;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.Rewards;

/**
 * The rewards catalog. A reward belongs to one scope; staff whose scope covers it (and admins)
 * manage it; members see the rewards of their community, its street and district, and the city.
 * Stock is never written by a client after creation except as a new absolute value (a restock).
 */
public final class RewardService {

  private final Rewards rewards;
  private final Members members;
  private final PointsReadModel points;
  private final LeaderboardAccess scopes;
  private final AuditLog auditLog;
  private final Clock clock;

  public RewardService(
      Rewards rewards,
      Members members,
      PointsReadModel points,
      OrganisationService organisation,
      AuditLog auditLog,
      Clock clock) {
    this.rewards = rewards;
    this.members = members;
    this.points = points;
    this.scopes = new LeaderboardAccess(members, organisation);
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** What a manager writes; null fields of a change are left as they are. */
  public record RewardFields(
      String title,
      String description,
      String imageUrl,
      Reward.Category category,
      Long pointsCost,
      Long stock,
      Integer limitPerMonth,
      Integer limitPerYear,
      Instant availableFrom,
      Instant availableUntil,
      String pickupPlace,
      String pickupHours,
      Integer pickupDeadlineDays,
      Boolean active) {}

  /** A listing: one scope's catalog for its managers, else the caller's community's. */
  public record Listing(
      String scope, Reward.Category category, boolean affordable, String cursor, int limit) {}

  public Future<Reward> create(Caller caller, String scope, RewardFields fields) {
    scopes.requireExisting(scope);
    requireManager(caller, scope);
    Instant now = clock.instant();
    Reward reward =
        new Reward(
            Ids.rewardId(),
            scope,
            fields.title(),
            fields.description(),
            fields.imageUrl(),
            fields.category(),
            fields.pointsCost(),
            fields.stock(),
            fields.limitPerMonth(),
            fields.limitPerYear(),
            fields.availableFrom(),
            fields.availableUntil(),
            fields.pickupPlace(),
            fields.pickupHours(),
            Optional.ofNullable(fields.pickupDeadlineDays())
                .orElse(Reward.DEFAULT_PICKUP_DEADLINE_DAYS),
            Optional.ofNullable(fields.active()).orElse(true),
            caller.memberId(),
            now,
            now);
    requireWindow(reward);
    return rewards.insert(reward).compose(v -> audit(caller, "reward.create", reward)).map(reward);
  }

  public Future<Reward> change(Caller caller, String rewardId, RewardFields fields) {
    return managed(caller, rewardId)
        .compose(
            before -> {
              Reward after = changed(before, fields);
              requireWindow(after);
              return rewards
                  .replace(before, after)
                  .compose(
                      replaced -> {
                        if (!replaced) {
                          throw new DomainException(
                              org.civicpoints.api.domain.ErrorCode.INVALID_STATE,
                              "rewardChangedMeanwhile",
                              Map.of("rewardId", rewardId));
                        }
                        return audit(caller, "reward.change", after);
                      })
                  .compose(v -> rewards.find(rewardId))
                  .map(Optional::orElseThrow);
            });
  }

  /** Its managers see any reward of their scopes; members those of their community's catalog. */
  public Future<Reward> get(Caller caller, String rewardId) {
    return rewards
        .find(rewardId)
        .compose(
            found ->
                found.isPresent() && manages(caller, found.get().scope())
                    ? Future.succeededFuture(found.get())
                    : offeredTo(caller)
                        .map(
                            offered -> {
                              if (found.isEmpty() || !offered.contains(found.get().scope())) {
                                throw notFound(rewardId);
                              }
                              return found.get();
                            }));
  }

  /** A reward the caller may redeem now, else 404 (not theirs) or 409 REWARD_UNAVAILABLE. */
  Future<Reward> redeemable(Caller caller, String rewardId) {
    return rewards
        .find(rewardId)
        .compose(
            found ->
                offeredTo(caller)
                    .map(
                        offered -> {
                          if (found.isEmpty() || !offered.contains(found.get().scope())) {
                            throw notFound(rewardId);
                          }
                          if (!found.get().availableAt(clock.instant())) {
                            throw new DomainException(
                                org.civicpoints.api.domain.ErrorCode.REWARD_UNAVAILABLE,
                                "notNow",
                                Map.of("rewardId", rewardId));
                          }
                          return found.get();
                        }));
  }

  public Future<Page<Reward>> list(Caller caller, Listing listing) {
    Cursor after = Cursor.decode(listing.cursor());
    if (listing.scope() != null) {
      scopes.requireExisting(listing.scope());
      requireManager(caller, listing.scope());
      return rewards.list(
          new Rewards.Filter(Set.of(listing.scope()), listing.category(), null, null),
          after,
          listing.limit());
    }
    Future<Long> maxCost =
        listing.affordable()
            ? points.balance(caller.memberId()).map(PointsReadModel.Balance::balance)
            : Future.succeededFuture(null);
    return Future.all(offeredTo(caller), maxCost)
        .compose(
            both ->
                rewards.list(
                    new Rewards.Filter(
                        both.<Set<String>>resultAt(0),
                        listing.category(),
                        both.resultAt(1),
                        clock.instant()),
                    after,
                    listing.limit()));
  }

  /** Staff whose scope covers the reward's scope, and admins. */
  boolean manages(Caller caller, String scope) {
    return caller.isAdmin()
        || (caller.has(Role.STAFF)
            && caller.scopes().stream().anyMatch(granted -> scopes.covers(granted, scope)));
  }

  Future<Reward> managed(Caller caller, String rewardId) {
    return rewards
        .find(rewardId)
        .map(
            found -> {
              if (found.isEmpty() || !manages(caller, found.get().scope())) {
                throw notFound(rewardId);
              }
              return found.get();
            });
  }

  /** The scopes whose rewards a member may redeem: their community's, above it, and the city's. */
  Future<Set<String>> offeredTo(Caller caller) {
    return members
        .findById(caller.memberId())
        .map(
            member -> {
              Set<String> offered = new HashSet<>(Set.of(Scopes.CITY));
              Optional.ofNullable(member)
                  .map(Member::communityId)
                  .ifPresent(community -> offered.addAll(caller.tree().scopesCovering(community)));
              return offered;
            });
  }

  private void requireManager(Caller caller, String scope) {
    if (!manages(caller, scope)) {
      throw DomainException.forbidden("rewardManager", Map.of("scope", scope));
    }
  }

  private static void requireWindow(Reward reward) {
    if (reward.availableFrom() != null
        && reward.availableUntil() != null
        && !reward.availableFrom().isBefore(reward.availableUntil())) {
      throw DomainException.invalidField("availableUntil", "afterAvailableFrom", Map.of());
    }
  }

  private Reward changed(Reward before, RewardFields change) {
    return new Reward(
        before.rewardId(),
        before.scope(),
        or(change.title(), before.title()),
        or(change.description(), before.description()),
        or(change.imageUrl(), before.imageUrl()),
        or(change.category(), before.category()),
        or(change.pointsCost(), before.pointsCost()),
        or(change.stock(), before.stock()),
        or(change.limitPerMonth(), before.limitPerMonth()),
        or(change.limitPerYear(), before.limitPerYear()),
        or(change.availableFrom(), before.availableFrom()),
        or(change.availableUntil(), before.availableUntil()),
        or(change.pickupPlace(), before.pickupPlace()),
        or(change.pickupHours(), before.pickupHours()),
        or(change.pickupDeadlineDays(), before.pickupDeadlineDays()),
        or(change.active(), before.active()),
        before.createdBy(),
        before.createdAt(),
        clock.instant());
  }

  private static <T> T or(T changed, T before) {
    return changed != null ? changed : before;
  }

  private Future<Void> audit(Caller caller, String action, Reward reward) {
    return auditLog.record(
        caller.memberId(),
        action,
        reward.rewardId(),
        null,
        new io.vertx.core.json.JsonObject()
            .put("scope", reward.scope())
            .put("title", reward.title())
            .put("pointsCost", reward.pointsCost())
            .put("stock", reward.stock())
            .put("active", reward.active()),
        null);
  }

  private static DomainException notFound(String rewardId) {
    return DomainException.notFound("reward", Map.of("rewardId", rewardId));
  }
}
