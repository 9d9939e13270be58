package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.LedgerOutbox;
import org.civicpoints.api.port.ProjectorCheckpoints;

/** How the write path is doing, for admins: counts, ages and codes only, no personal data. */
public final class LedgerStatusService {

  private final Ledger ledger;
  private final LedgerOutbox outbox;
  private final ProjectorCheckpoints checkpoints;
  private final LedgerRelay relay;
  private final LedgerProjector projector;
  private final PointsExpiry expiry;
  private final Clock clock;

  public LedgerStatusService(
      Ledger ledger,
      LedgerOutbox outbox,
      ProjectorCheckpoints checkpoints,
      LedgerRelay relay,
      LedgerProjector projector,
      PointsExpiry expiry,
      Clock clock) {
    this.ledger = ledger;
    this.outbox = outbox;
    this.checkpoints = checkpoints;
    this.relay = relay;
    this.projector = projector;
    this.expiry = expiry;
    this.clock = clock;
  }

  public record LedgerStatus(
      long chainHeight,
      long queued,
      Optional<Duration> oldestQueuedAge,
      long submitted,
      int inFlightTransactions,
      long checkpointBlock,
      int checkpointTxOrdinal,
      long lagBlocks,
      boolean projecting,
      Optional<String> lastError,
      Optional<Instant> lastErrorAt,
      PointsExpiry.State expiry) {}

  public Future<LedgerStatus> status(Caller caller) {
    if (!caller.isAdmin()) {
      return Future.failedFuture(DomainException.forbidden("ledgerStatus", Map.of()));
    }
    return Future.all(
            outbox.backlog(), checkpoints.checkpoint(ProjectorCheckpoints.POINTS), expiry.state())
        .map(
            both -> {
              LedgerOutbox.Backlog backlog = both.resultAt(0);
              ChainPosition checkpoint =
                  both.<Optional<ChainPosition>>resultAt(1).orElse(ChainPosition.NONE);
              Instant now = clock.instant();
              long height = Math.max(ledger.knownHeight(), checkpoint.blockNumber() + 1);
              LedgerRelay.RelayState relayState = relay.state();
              String lastError =
                  relayState.lastError() != null
                      ? relayState.lastError()
                      : projector.state().lastError();
              return new LedgerStatus(
                  height,
                  backlog.queued(),
                  backlog.oldestQueuedAt().map(oldest -> Duration.between(oldest, now)),
                  backlog.submitted(),
                  relayState.inFlightTransactions(),
                  checkpoint.blockNumber(),
                  checkpoint.txOrdinal(),
                  Math.max(0, height - 1 - checkpoint.blockNumber()),
                  projector.state().active(),
                  Optional.ofNullable(lastError),
                  Optional.ofNullable(relayState.lastErrorAt()),
                  both.resultAt(2));
            });
  }
}
