package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DataExport;
import org.civicpoints.api.domain.DataExport.Status;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.port.DataExports;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.MemberData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's copy of everything held about them (PIPL access and copy). Asked for, it is written in
 * the background into a file of this instance's data directory; its owner downloads it once, after
 * which the file is deleted. Anyone else's export id is NOT_FOUND. At most one export of a member
 * is open (preparing or ready): asking again answers that one.
 */
public final class DataExportService {

  private static final Logger LOG = LoggerFactory.getLogger(DataExportService.class);

  /** A preparation not finished by then died with its instance: a new request starts afresh. */
  static final Duration ABANDONED_AFTER = Duration.ofHours(1);

  private final DataExports exports;
  private final MemberData data;
  private final EvidenceStore photos;
  private final WorkerExecutor workers;
  private final Path directory;
  private final String instanceId;
  private final Clock clock;

  public DataExportService(
      DataExports exports,
      MemberData data,
      EvidenceStore photos,
      WorkerExecutor workers,
      Path directory,
      String instanceId,
      Clock clock) {
    this.exports = exports;
    this.data = data;
    this.photos = photos;
    this.workers = workers;
    this.directory = directory;
    this.instanceId = instanceId;
    this.clock = clock;
  }

  /** The member's open export, or a new one whose preparation starts now. */
  public Future<DataExport> request(Caller caller) {
    return exports
        .openOf(caller.memberId())
        .compose(
            open ->
                open != null && !abandoned(open) ? Future.succeededFuture(open) : start(caller));
  }

  private boolean abandoned(DataExport export) {
    return export.status() == Status.PREPARING
        && export.requestedAt().plus(ABANDONED_AFTER).isBefore(clock.instant());
  }

  private Future<DataExport> start(Caller caller) {
    DataExport export = DataExport.requested(caller.memberId(), clock.instant(), instanceId);
    return exports.insert(export).onSuccess(v -> prepare(export)).map(export);
  }

  /** In the background: the request is answered before the ZIP is written. */
  private void prepare(DataExport export) {
    Path file = fileOf(export);
    zipOf(export.memberId())
        .writeTo(() -> open(file))
        .compose(bytes -> exports.ready(export.exportId(), bytes, clock.instant()))
        // Withdrawn while it was written (the account was deleted): nobody may take it.
        .compose(ready -> ready ? Future.succeededFuture() : discard(file))
        .onFailure(
            failure -> {
              LOG.error("Data export {} failed", export.exportId(), failure);
              exports.failed(export.exportId(), clock.instant());
              discard(file);
            });
  }

  /**
   * The member's open export is withdrawn and its file (on this instance) deleted: a deleted
   * account leaves no copy behind. A preparation still running deletes its file when it ends.
   */
  public Future<Void> forget(String memberId) {
    return exports
        .openOf(memberId)
        .compose(
            open ->
                open == null
                    ? Future.succeededFuture()
                    : exports
                        .failed(open.exportId(), clock.instant())
                        .compose(v -> exports.takeDownload(open.exportId(), clock.instant()))
                        .compose(v -> discard(fileOf(open))));
  }

  /** The export as its owner sees it; anyone else's is NOT_FOUND. */
  public Future<DataExport> status(Caller caller, String exportId) {
    return exports
        .find(exportId)
        .compose(
            export ->
                export != null && export.memberId().equals(caller.memberId())
                    ? Future.succeededFuture(export)
                    : Future.failedFuture(notFound(exportId)));
  }

  /**
   * The file of a READY export, taken for download (once: a second download, or one racing it, is
   * NOT_FOUND); the caller deletes it with {@link #discard} once sent.
   */
  public Future<Path> download(Caller caller, String exportId) {
    return status(caller, exportId)
        .compose(
            export -> {
              if (export.status() == Status.PREPARING) {
                return Future.failedFuture(
                    new DomainException(ErrorCode.INVALID_STATE, "dataExportPreparing", Map.of()));
              }
              if (export.status() != Status.READY || !instanceId.equals(export.instanceId())) {
                return Future.failedFuture(notFound(exportId));
              }
              return exports
                  .takeDownload(exportId, clock.instant())
                  .compose(
                      taken ->
                          taken
                              ? Future.succeededFuture(fileOf(export))
                              : Future.failedFuture(notFound(exportId)));
            });
  }

  /** Deletes a downloaded file (or what a failed preparation left). */
  public Future<Void> discard(Path file) {
    return workers.executeBlocking(
        () -> {
          Files.deleteIfExists(file);
          return null;
        },
        false);
  }

  /** The caller's data written straight to {@code out} (GET /v1/me/data-export). */
  public MemberDataZip zipOf(String memberId) {
    return new MemberDataZip(data, photos, workers, memberId, clock.instant());
  }

  private Path fileOf(DataExport export) {
    return directory.resolve(export.exportId() + ".zip");
  }

  private OutputStream open(Path file) {
    try {
      Files.createDirectories(directory);
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static DomainException notFound(String exportId) {
    return DomainException.notFound("dataExport", Map.of("exportId", exportId));
  }
}
