package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.port.RefreshTokens;
import org.civicpoints.api.port.StoredRefreshToken;
import org.civicpoints.api.port.StoredRefreshToken.Status;

/**
 * Refresh tokens ("refresh_tokens", _id = SHA-256 of the token) and their families
 * ("session_families", _id = familyId). Expiry is checked in code: TTL indexes are not portable to
 * the embedded store.
 */
public final class MongoRefreshTokens implements RefreshTokens {

  private final MongoCollection<Document> tokens;
  private final MongoCollection<Document> families;

  public MongoRefreshTokens(MongoStore store) {
    this.tokens = store.database().getCollection("refresh_tokens");
    this.families = store.database().getCollection("session_families");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return Publishers.done(
            tokens.createIndexes(
                List.of(
                    new IndexModel(
                        Indexes.ascending("familyId"), new IndexOptions().name("familyId")))))
        .compose(
            v ->
                Publishers.done(
                    families.createIndexes(
                        List.of(
                            new IndexModel(
                                Indexes.ascending("memberId"),
                                new IndexOptions().name("memberId"))))));
  }

  @Override
  public Future<Void> openFamily(String familyId, String memberId, Instant at) {
    return Publishers.done(
        families.insertOne(
            new Document("_id", familyId)
                .append("memberId", memberId)
                .append("openedAt", Date.from(at))));
  }

  @Override
  public Future<Void> insert(StoredRefreshToken token) {
    return Publishers.done(
        tokens.insertOne(
            new Document("_id", token.tokenHash())
                .append("familyId", token.familyId())
                .append("memberId", token.memberId())
                .append("status", token.status().name())
                .append("issuedAt", Date.from(token.issuedAt()))
                .append("expiresAt", Date.from(token.expiresAt()))));
  }

  @Override
  public Future<StoredRefreshToken> findByHash(String tokenHash) {
    return Publishers.first(tokens.find(eq("_id", tokenHash))).map(MongoRefreshTokens::toToken);
  }

  @Override
  public Future<Boolean> retire(String tokenHash, Instant at) {
    return Publishers.first(
            tokens.updateOne(
                and(eq("_id", tokenHash), eq("status", Status.ACTIVE.name())),
                Updates.combine(
                    Updates.set("status", Status.RETIRED.name()),
                    Updates.set("retiredAt", Date.from(at)))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Boolean> isFamilyRevoked(String familyId) {
    return Publishers.first(families.find(eq("_id", familyId)))
        .map(family -> family == null || family.get("revokedAt") != null);
  }

  @Override
  public Future<Void> revokeFamily(String familyId, String reason, Instant at) {
    return Publishers.done(
        families.updateOne(
            and(eq("_id", familyId), eq("revokedAt", null)),
            Updates.combine(
                Updates.set("revokedAt", Date.from(at)), Updates.set("revokedBecause", reason))));
  }

  private static StoredRefreshToken toToken(Document document) {
    if (document == null) {
      return null;
    }
    return new StoredRefreshToken(
        document.getString("_id"),
        document.getString("familyId"),
        document.getString("memberId"),
        Status.valueOf(document.getString("status")),
        Documents.instant(document, "issuedAt"),
        Documents.instant(document, "expiresAt"));
  }
}
