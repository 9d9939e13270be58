package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.CivicCalendar;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Evidence;
import org.civicpoints.api.domain.PhotoDownload;
import org.civicpoints.api.domain.ProcessedPhoto;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.Evidences;

/**
 * Photo evidence: members upload photos (processed on a worker: see {@link PhotoProcessing}), at
 * most {@link #DAILY_UPLOADS} a day, and name them in a claim. A photo supports one submission
 * only, so one picture cannot back two claims; unattached photos are swept after a day ({@link
 * EvidenceSweeper}). Anyone who may not read a photo is told it does not exist, as for any other
 * object of someone else.
 */
public final class EvidenceService {

  /** Uploads a member may make a day, counted before processing (a refused file counts too). */
  public static final int DAILY_UPLOADS = 20;

  private final Evidences evidences;
  private final EvidenceStore store;
  private final WorkerExecutor processing;
  private final Clock clock;
  private final CivicCalendar calendar;

  public EvidenceService(
      Evidences evidences, EvidenceStore store, WorkerExecutor processing, Clock clock) {
    this.evidences = evidences;
    this.store = store;
    this.processing = processing;
    this.clock = clock;
    this.calendar = new CivicCalendar(clock);
  }

  public Future<Evidence> upload(Caller caller, byte[] upload) {
    return evidences
        .countUpload(caller.memberId(), calendar.today(), DAILY_UPLOADS)
        .compose(
            counted -> {
              if (!counted) {
                throw new DomainException(
                    ErrorCode.EVIDENCE_QUOTA_REACHED, "perDay", Map.of("limit", DAILY_UPLOADS));
              }
              return processing.executeBlocking(() -> PhotoProcessing.process(upload), false);
            })
        .compose(photo -> keep(Evidence.uploaded(caller.memberId(), clock.instant()), photo));
  }

  /** The record first: the sweep finds photos by their records, so no bytes can be left behind. */
  private Future<Evidence> keep(Evidence evidence, ProcessedPhoto photo) {
    String id = evidence.evidenceId();
    return evidences
        .insert(evidence)
        .compose(v -> store.put(id, Variant.PHOTO, photo.photo()))
        .compose(v -> store.put(id, Variant.THUMBNAIL, photo.thumbnail()))
        .map(evidence);
  }

  /**
   * The processed JPEG, for its uploader, staff of its submission's community and admins: a signed
   * URL where the store makes them, the bytes otherwise. Checked before either is made.
   */
  public Future<PhotoDownload> read(Caller caller, String evidenceId, Variant variant) {
    return evidences
        .find(evidenceId)
        .compose(
            evidence -> {
              if (evidence == null || !evidence.readableBy(caller)) {
                throw notFound(evidenceId);
              }
              return store.signedUrl(evidenceId, variant);
            })
        .compose(
            url ->
                url != null
                    ? Future.succeededFuture(PhotoDownload.at(url))
                    : store.get(evidenceId, variant).map(bytes -> downloaded(evidenceId, bytes)));
  }

  private static PhotoDownload downloaded(String evidenceId, byte[] bytes) {
    if (bytes == null) {
      throw notFound(evidenceId);
    }
    return PhotoDownload.bytes(bytes);
  }

  /**
   * Attaches the caller's photos to their new submission before it is stored; another member's or
   * an unknown id is not found, a photo already supporting a claim is refused.
   */
  public Future<Void> attach(
      Caller caller, List<String> evidenceIds, String submissionId, String communityId) {
    if (evidenceIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return evidences
        .findAll(evidenceIds)
        .compose(
            found -> {
              requireAttachable(caller, evidenceIds, found);
              return evidences.attach(evidenceIds, caller.memberId(), submissionId, communityId);
            })
        .compose(
            attached ->
                attached == evidenceIds.size()
                    ? Future.succeededFuture()
                    : release(submissionId)
                        .compose(v -> Future.failedFuture(attachedMeanwhile(evidenceIds))));
  }

  /** Gives back the photos of a submission that was not created after all. */
  public Future<Void> release(String submissionId) {
    return evidences.detach(submissionId);
  }

  private static void requireAttachable(
      Caller caller, List<String> evidenceIds, List<Evidence> found) {
    Map<String, Evidence> byId =
        found.stream().collect(Collectors.toMap(Evidence::evidenceId, Function.identity()));
    for (String id : evidenceIds) {
      Evidence evidence = byId.get(id);
      if (evidence == null || !evidence.memberId().equals(caller.memberId())) {
        throw notFound(id);
      }
      if (evidence.attached()) {
        throw new DomainException(
            ErrorCode.INVALID_STATE, "evidenceAttached", Map.of("evidenceId", id));
      }
    }
  }

  private static DomainException attachedMeanwhile(List<String> evidenceIds) {
    return new DomainException(
        ErrorCode.INVALID_STATE,
        "evidenceAttached",
        Map.of("evidenceId", String.join(", ", evidenceIds)));
  }

  private static DomainException notFound(String evidenceId) {
    return DomainException.notFound("evidence", Map.of("evidenceId", evidenceId));
  }
}
