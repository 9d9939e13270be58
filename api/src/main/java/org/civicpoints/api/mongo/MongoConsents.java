package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.Consent;
import org.civicpoints.api.domain.ConsentPurpose;
import org.civicpoints.api.port.Consents;

/** Consent records in "consents", _id = consentId; never changed, never deleted. */
public final class MongoConsents implements Consents {

  private final MongoCollection<Document> collection;

  public MongoConsents(MongoStore store) {
    this.collection = store.database().getCollection("consents");
  }

  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("memberId", "recordedAt"));
  }

  @Override
  public Future<Void> insert(Consent consent) {
    return Publishers.done(
        collection.insertOne(
            new Document("_id", consent.consentId())
                .append("memberId", consent.memberId())
                .append("purpose", consent.purpose().name())
                .append("choice", consent.choice())
                .append("textVersion", consent.textVersion())
                .append("recordedAt", Date.from(consent.recordedAt()))));
  }

  @Override
  public Future<List<Consent>> history(String memberId, int limit) {
    return Publishers.all(
            collection
                .find(eq("memberId", memberId))
                .sort(Sorts.orderBy(Sorts.descending("recordedAt"), Sorts.descending("_id")))
                .limit(limit))
        .map(documents -> documents.stream().map(MongoConsents::toConsent).toList());
  }

  private static Consent toConsent(Document document) {
    return new Consent(
        document.getString("_id"),
        document.getString("memberId"),
        ConsentPurpose.valueOf(document.getString("purpose")),
        document.getString("choice"),
        document.getString("textVersion"),
        Documents.instant(document, "recordedAt"));
  }
}
