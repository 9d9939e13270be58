package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;

/** The audit log, as far as leaderboard exports write to it. */
public interface ExportAudit {

  Future<Void> leaderboardExported(String actor, String boardKey, long rows, Instant at);
}
