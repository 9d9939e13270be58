package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import org.civicpoints.api.domain.Evidence;

/**
 * What is known of each evidence photo (owner, upload time, the submission it supports) and how
 * many photos each member uploaded a day; the bytes are in the {@link EvidenceStore}.
 */
public interface Evidences {

  /**
   * Counts one upload of the member on that day; false, counting nothing, when {@code quota} were
   * counted already (atomic: concurrent uploads cannot pass it together).
   */
  Future<Boolean> countUpload(String memberId, LocalDate day, int quota);

  Future<Void> insert(Evidence evidence);

  /** The evidence, or null. */
  Future<Evidence> find(String evidenceId);

  Future<List<Evidence>> findAll(Collection<String> evidenceIds);

  /**
   * Attaches each of {@code evidenceIds} that {@code memberId} uploaded and that nothing is
   * attached to yet (one compare-and-set each); answers how many it attached.
   */
  Future<Integer> attach(
      Collection<String> evidenceIds, String memberId, String submissionId, String communityId);

  /**
   * Makes an unattached upload of {@code memberId} the cover of an activity (one compare-and-set);
   * false when it is not theirs, unknown or attached already.
   */
  Future<Boolean> attachCover(
      String evidenceId, String memberId, String activityId, String communityId);

  /** The photo is no longer the activity's cover: unattached again, the sweep takes it. */
  Future<Void> detachCover(String evidenceId, String activityId);

  /** Detaches what is attached to a submission that was not created after all. */
  Future<Void> detach(String submissionId);

  /** Up to {@code limit} evidences uploaded before {@code cutoff} and never attached. */
  Future<List<Evidence>> unattachedBefore(Instant cutoff, int limit);

  /** Deletes the record if it is still unattached; false when it is gone or was attached since. */
  Future<Boolean> deleteUnattached(String evidenceId);

  /** Forgets the upload counts of days before {@code day}; answers how many went. */
  Future<Long> forgetUploadsBefore(LocalDate day);
}
