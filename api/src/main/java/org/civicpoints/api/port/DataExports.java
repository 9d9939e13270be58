package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import org.civicpoints.api.domain.DataExport;

/** Data exports asked for by members, while they are prepared and until they are downloaded. */
public interface DataExports {

  Future<Void> insert(DataExport export);

  /** The export, or null. */
  Future<DataExport> find(String exportId);

  /** The member's export still PREPARING or READY (at most one), or null. */
  Future<DataExport> openOf(String memberId);

  /** PREPARING → READY; false when it is no longer PREPARING (withdrawn meanwhile). */
  Future<Boolean> ready(String exportId, long bytes, Instant at);

  /** PREPARING → FAILED; false when it was not PREPARING. */
  Future<Boolean> failed(String exportId, Instant at);

  /** READY → DOWNLOADED, once; false when it was not READY (not yet, or taken already). */
  Future<Boolean> takeDownload(String exportId, Instant at);
}
