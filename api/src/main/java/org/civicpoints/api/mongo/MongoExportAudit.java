package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.regex;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.port.ExportAudit;

/**
 * Appends leaderboard exports to the shared "audit" collection in the audit trail's document shape
 * (so GET /v1/audit lists them), plus a top-level {@code rows}.
 */
public final class MongoExportAudit implements ExportAudit {

  private static final String ACTION = "LEADERBOARD_EXPORT";

  private final MongoCollection<Document> audit;

  public MongoExportAudit(MongoStore store) {
    this.audit = store.database().getCollection("audit");
  }

  @Override
  public Future<Void> leaderboardExported(String actor, String boardKey, long rows, Instant at) {
    // The document shape of the shared audit trail (string _id "a_…", before/after, communityId).
    String communityId =
        boardKey.startsWith("community:") ? boardKey.substring(10, boardKey.indexOf('|')) : null;
    return Publishers.done(
        audit.insertOne(
            new Document("_id", Ids.auditId())
                .append("actor", actor)
                .append("action", ACTION)
                .append("target", boardKey)
                .append("before", null)
                .append("after", new Document("rows", rows))
                .append("at", Date.from(at))
                .append("communityId", communityId)
                .append("rows", rows)));
  }

  /** The board's scope is the target up to its first '|': a prefix match per scope. */
  @Override
  public Future<Page<ExportRecord>> list(Set<String> scopes, Cursor after, int limit) {
    Bson exports = eq("action", ACTION);
    Bson filter =
        scopes == null
            ? exports
            : and(
                exports,
                regex(
                    "target",
                    scopes.stream()
                        .map(Pattern::quote)
                        .collect(Collectors.joining("|", "^(?:", ")\\|"))));
    return Paging.page(audit, filter, "at", after, limit, MongoExportAudit::toRecord);
  }

  private static ExportRecord toRecord(Document document) {
    return new ExportRecord(
        document.getString("_id"),
        document.getString("actor"),
        document.getString("target"),
        Documents.number(document, "rows"),
        Documents.instant(document, "at"));
  }
}
