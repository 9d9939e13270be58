package org.civicpoints.api.mongo;

import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.port.ExportAudit;

/**
 * Appends leaderboard exports to the shared "audit" collection in the audit trail's document shape
 * (so GET /v1/audit lists them), plus a top-level {@code rows}.
 */
public final class MongoExportAudit implements ExportAudit {

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
                .append("action", "LEADERBOARD_EXPORT")
                .append("target", boardKey)
                .append("before", null)
                .append("after", new Document("rows", rows))
                .append("at", Date.from(at))
                .append("communityId", communityId)
                .append("rows", rows)));
  }
}
