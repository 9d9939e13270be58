package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.PickupCode;
import org.civicpoints.api.domain.Redemption;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Redemptions;

/**
 * Marks redemptions REDEEMED from the chain's REDEMPTION entries, with their transaction, block and
 * a fresh pickup code (unique: each code is a document of its own), and records the transaction of
 * a cancelled one's REFUND. Idempotent: a redemption that is no longer PENDING, or a refund already
 * DONE, is left as it is, so a replayed event changes nothing.
 */
public final class RedemptionProjection implements LedgerProjector.Handler {

  private static final int CODE_ATTEMPTS = 5;
  private final Redemptions redemptions;
  private final Clock clock;

  public RedemptionProjection(Redemptions redemptions, Clock clock) {
    this.redemptions = redemptions;
    this.clock = clock;
  }

  @Override
  public Future<Void> handle(List<ChainEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (MovedEntry entry : LedgerProjector.movedEntries(events)) {
      if (entry.kind() == EntryKind.REDEMPTION) {
        chain = chain.compose(v -> redeemed(entry));
      } else if (entry.kind() == EntryKind.REFUND) {
        chain =
            chain.compose(
                v ->
                    redemptions.refunded(
                        Redemption.redemptionIdOfRefund(entry.entryId()),
                        entry.txId(),
                        entry.position().blockNumber(),
                        clock.instant()));
      }
    }
    return chain;
  }

  private Future<Void> redeemed(MovedEntry entry) {
    return redemptions
        .find(entry.entryId())
        .compose(
            found ->
                found.isPresent() && found.get().status() == Redemption.Status.PENDING
                    ? withCode(found.get(), entry, CODE_ATTEMPTS)
                    : Future.succeededFuture());
  }

  private Future<Void> withCode(Redemption redemption, MovedEntry entry, int attemptsLeft) {
    String code = PickupCode.random();
    return redemptions
        .claimPickupCode(code, redemption.redemptionId())
        .compose(
            claimed -> {
              if (!claimed) {
                return attemptsLeft > 1
                    ? withCode(redemption, entry, attemptsLeft - 1)
                    : Future.failedFuture(
                        new IllegalStateException("no free pickup code in " + CODE_ATTEMPTS));
              }
              var now = clock.instant();
              return redemptions
                  .redeemed(
                      redemption.redemptionId(),
                      entry.txId(),
                      entry.position().blockNumber(),
                      code,
                      now.plus(Duration.ofDays(redemption.pickupDeadlineDays())),
                      now)
                  .mapEmpty();
            });
  }
}
