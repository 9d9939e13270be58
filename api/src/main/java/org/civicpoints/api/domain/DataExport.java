package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * A ZIP of everything held about a member, prepared in the background and downloadable once by that
 * member; {@code instanceId} names the server that keeps the file.
 */
public record DataExport(
    String exportId,
    String memberId,
    Status status,
    Instant requestedAt,
    Instant readyAt,
    long bytes,
    String instanceId) {

  public enum Status {
    PREPARING,
    READY,
    FAILED,
    DOWNLOADED
  }

  public static DataExport requested(String memberId, Instant at, String instanceId) {
    return new DataExport(Ids.dataExportId(), memberId, Status.PREPARING, at, null, 0, instanceId);
  }
}
