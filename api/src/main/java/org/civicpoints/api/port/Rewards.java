package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Reward;

/** The rewards catalog, and its stock: taken and given back by conditional updates. */
public interface Rewards {

  /**
   * What a listing shows: rewards of these scopes, of a category (null: any), costing at most so
   * much (null: any), and, unless {@code availableAt} is null, active and in their window then.
   */
  record Filter(
      Collection<String> scopes, Reward.Category category, Long maxCost, Instant availableAt) {}

  Future<Void> insert(Reward reward);

  Future<Optional<Reward>> find(String rewardId);

  /**
   * Replaces the editable fields, unless the reward changed since {@code expected} was read; a new
   * stock moves the stock by the difference, so units taken meanwhile stay taken.
   */
  Future<Boolean> replace(Reward expected, Reward changed);

  Future<Page<Reward>> list(Filter filter, Cursor after, int limit);

  /**
   * One unit of a limited stock taken for {@code redemptionId}, which the reward then names among
   * its holders: false when none is left (never below zero).
   */
  Future<Boolean> takeStock(String rewardId, String redemptionId);

  /** Whether {@code redemptionId} holds a unit of the reward's stock. */
  Future<Boolean> holdsStock(String rewardId, String redemptionId);

  /** The unit {@code redemptionId} holds, back in the stock; once, however often it is called. */
  Future<Void> returnStock(String rewardId, String redemptionId);

  /** {@code redemptionId} handed its unit out for good: no longer a holder, the stock unchanged. */
  Future<Void> handedOut(String rewardId, String redemptionId);
}
