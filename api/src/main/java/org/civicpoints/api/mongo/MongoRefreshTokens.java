package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.port.RefreshTokens;
import org.civicpoints.api.port.SessionFamily;
import org.civicpoints.api.port.StoredRefreshToken;
import org.civicpoints.api.port.StoredRefreshToken.Status;

/**
 * Refresh tokens ("refresh_tokens", _id = SHA-256 of the token) and their families
 * ("session_families", _id = familyId). Expiry is checked in code. Expired documents are deleted
 * twice over: MongoDB's TTL monitor does it on its own (the "expiresAt" TTL indexes), and {@link
 * #deleteExpired} does it for the embedded store, which accepts TTL indexes but never expires
 * anything.
 */
public final class MongoRefreshTokens implements RefreshTokens {

  private final MongoCollection<Document> tokens;
  private final MongoCollection<Document> families;

  public MongoRefreshTokens(MongoStore store) {
    this.tokens = store.database().getCollection("refresh_tokens");
    this.families = store.database().getCollection("session_families");
  }

  @Override
  public Future<Void> createIndexes() {
    return Publishers.done(
            tokens.createIndexes(
                List.of(
                    new IndexModel(
                        Indexes.ascending("familyId"), new IndexOptions().name("familyId")),
                    expiry())))
        .compose(
            v ->
                Publishers.done(
                    families.createIndexes(
                        List.of(
                            new IndexModel(
                                Indexes.ascending("memberId"), new IndexOptions().name("memberId")),
                            expiry()))));
  }

  /** A TTL index: MongoDB deletes a document once its expiresAt has passed. */
  private static IndexModel expiry() {
    return new IndexModel(
        Indexes.ascending("expiresAt"),
        new IndexOptions().name("expiresAt_ttl").expireAfter(0L, TimeUnit.SECONDS));
  }

  @Override
  public Future<Void> openFamily(SessionFamily family) {
    Document document =
        new Document("_id", family.familyId())
            .append("memberId", family.memberId())
            .append("openedAt", Date.from(family.signedInAt()))
            .append("expiresAt", Date.from(family.expiresAt()))
            .append("userCheckedAt", Date.from(family.userCheckedAt()));
    if (family.isFirebase()) {
      document
          .append("firebaseUid", family.firebaseUid())
          .append("firebaseAuthTime", Date.from(family.firebaseAuthTime()));
    }
    return Publishers.done(families.insertOne(document));
  }

  @Override
  public Future<SessionFamily> findFamily(String familyId) {
    return Publishers.first(families.find(eq("_id", familyId))).map(MongoRefreshTokens::toFamily);
  }

  @Override
  public Future<Void> userChecked(String familyId, Instant at) {
    return Publishers.done(
        families.updateOne(eq("_id", familyId), Updates.set("userCheckedAt", Date.from(at))));
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
  public Future<Void> revokeFamily(String familyId, String reason, Instant at) {
    return Publishers.done(
        families.updateOne(
            and(eq("_id", familyId), eq("revokedAt", null)),
            Updates.combine(
                Updates.set("revokedAt", Date.from(at)), Updates.set("revokedBecause", reason))));
  }

  @Override
  public Future<Long> deleteExpired(Instant now) {
    Date before = Date.from(now);
    return Publishers.first(tokens.deleteMany(lt("expiresAt", before)))
        .compose(
            deletedTokens ->
                Publishers.first(families.deleteMany(lt("expiresAt", before)))
                    .map(
                        deletedFamilies ->
                            deletedTokens.getDeletedCount() + deletedFamilies.getDeletedCount()));
  }

  /**
   * A family written before sign-ins had an absolute end has no expiresAt: it counts as ended, so
   * its member signs in again once.
   */
  private static SessionFamily toFamily(Document document) {
    if (document == null) {
      return null;
    }
    Instant signedInAt = document.getDate("openedAt").toInstant();
    return new SessionFamily(
        document.getString("_id"),
        document.getString("memberId"),
        signedInAt,
        instantOr(document, "expiresAt", signedInAt),
        document.getString("firebaseUid"),
        instantOr(document, "firebaseAuthTime", null),
        instantOr(document, "userCheckedAt", signedInAt),
        document.get("revokedAt") != null);
  }

  private static Instant instantOr(Document document, String field, Instant fallback) {
    Date date = document.getDate(field);
    return date == null ? fallback : date.toInstant();
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
        document.getDate("issuedAt").toInstant(),
        document.getDate("expiresAt").toInstant());
  }
}
