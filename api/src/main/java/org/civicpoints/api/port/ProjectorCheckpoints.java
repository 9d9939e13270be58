package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import org.civicpoints.api.domain.ChainPosition;

/**
 * Where each ledger projector has got to, and the lease that lets one instance of the deployment
 * run it. Projectors are named: {@link #POINTS} keeps balances, entries and submission outcomes;
 * {@link #STANDINGS} keeps the leaderboards, on its own so a burst of board writes never delays the
 * resident's RECORDED.
 */
public interface ProjectorCheckpoints {

  String POINTS = "points";
  String STANDINGS = "standings";

  /** Marks redemptions REDEEMED with their pickup codes (the points mall). */
  String REDEMPTIONS = "redemptions";

  /** Keeps the awards and reversals that service certificates and star levels count. */
  String SERVICE = "service";

  /** The last chaincode event the projector applied; empty before its first. */
  Future<Optional<ChainPosition>> checkpoint(String projector);

  Future<Void> saveCheckpoint(String projector, ChainPosition lastApplied);

  /** Takes or renews the projector's lease; false while another owner holds it. */
  Future<Boolean> holdLease(String projector, String owner, Instant now, Instant until);

  /** Gives the lease up (graceful stop) so another instance takes over at once. */
  Future<Void> releaseLease(String projector, String owner);
}
