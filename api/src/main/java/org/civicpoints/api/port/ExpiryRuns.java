package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The expiry job's commands and progress: each Expire command is a document of its own, keyed by
 * its deterministic entry id, so a rerun, a restart or a second instance queues it once; the relay
 * sends it like any other outbox command.
 */
public interface ExpiryRuns {

  /** A finished run: when, through which earning year lots expire, how many lots it found. */
  record Run(Instant at, int throughYear, long lotsFound) {}

  /** Queues the commands, claimable at once; a command queued before is left as it is. */
  Future<Void> queue(List<Ledger.Expiry> expiries, Instant now);

  /** Expire commands not on the chain yet. */
  Future<Long> pending();

  Future<Optional<Run>> lastRun();

  Future<Void> saveRun(Run run);

  /** True once a round of notices (e.g. "2025-30") has gone to every lot it concerns. */
  Future<Boolean> noticesSent(String round);

  Future<Void> markNoticesSent(String round, Instant at);
}
