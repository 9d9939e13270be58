package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.civicpoints.api.domain.CivicCalendar;
import org.civicpoints.api.domain.Evidence;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.Evidences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes photos not attached to a submission within {@link #UNATTACHED_LIFETIME} of their upload,
 * every hour. Like {@link RefreshTokenSweeper} every instance runs it without a lease: each record
 * is deleted only while still unattached (a claim made meanwhile keeps its photo), and deleting
 * what another instance deleted first finds nothing.
 */
public final class EvidenceSweeper {

  public static final Duration UNATTACHED_LIFETIME = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(EvidenceSweeper.class);
  private static final Duration EVERY = Duration.ofHours(1);
  private static final Duration FIRST_AFTER = Duration.ofMinutes(2);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final Evidences evidences;
  private final EvidenceStore store;
  private final Clock clock;
  private long timer = -1;

  public EvidenceSweeper(Vertx vertx, Evidences evidences, EvidenceStore store, Clock clock) {
    this.vertx = vertx;
    this.evidences = evidences;
    this.store = store;
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(FIRST_AFTER.toMillis(), EVERY.toMillis(), id -> sweep());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /**
   * Deletes what expired unattached before now and the upload counts of past days; answers how many
   * photos went.
   */
  public Future<Integer> sweep() {
    return sweepFrom(clock.instant().minus(UNATTACHED_LIFETIME), 0)
        .compose(
            deleted ->
                evidences
                    .forgetUploadsBefore(new CivicCalendar(clock).today())
                    .map(forgotten -> deleted))
        .onSuccess(deleted -> LOG.info("Swept {} unattached evidence photos", deleted))
        .onFailure(failure -> LOG.warn("The evidence sweep failed; the next one retries", failure));
  }

  private Future<Integer> sweepFrom(Instant cutoff, int deletedSoFar) {
    return evidences
        .unattachedBefore(cutoff, BATCH)
        .compose(
            batch ->
                deleteEach(batch, 0, 0)
                    .compose(
                        deleted ->
                            batch.size() < BATCH || deleted == 0
                                ? Future.succeededFuture(deletedSoFar + deleted)
                                : sweepFrom(cutoff, deletedSoFar + deleted)));
  }

  /** One at a time: the record first (only if still unattached), then its bytes. */
  private Future<Integer> deleteEach(List<Evidence> batch, int index, int deleted) {
    if (index == batch.size()) {
      return Future.succeededFuture(deleted);
    }
    String id = batch.get(index).evidenceId();
    return evidences
        .deleteUnattached(id)
        .compose(gone -> gone ? store.delete(id).map(1) : Future.succeededFuture(0))
        .compose(count -> deleteEach(batch, index + 1, deleted + count));
  }
}
