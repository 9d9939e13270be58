package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Set;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;

/** The audit log, as far as leaderboard exports write to it and their history reads it. */
public interface ExportAudit {

  /** One export: who, which board ({@code scope|period|category}), how many rows, when. */
  record ExportRecord(String exportId, String actor, String boardKey, long rows, Instant at) {}

  Future<Void> leaderboardExported(String actor, String boardKey, long rows, Instant at);

  /** Newest first; {@code scopes} null lists every board's exports, else only those scopes'. */
  Future<Page<ExportRecord>> list(Set<String> scopes, Cursor after, int limit);
}
