package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.port.Certificates;

/** "service_certificates", _id = certificateId; the entries are embedded, as issued. */
public final class MongoCertificates implements Certificates {

  static final String COLLECTION = "service_certificates";

  private final MongoCollection<Document> certificates;

  public MongoCertificates(MongoStore store) {
    this.certificates = store.database().getCollection(COLLECTION);
  }

  public Future<Void> createIndexes() {
    return Publishers.done(
            certificates.createIndex(
                Indexes.compoundIndex(
                    Indexes.ascending("memberId"),
                    Indexes.descending("createdAt"),
                    Indexes.descending("_id"))))
        .mapEmpty();
  }

  @Override
  public Future<Void> insert(ServiceCertificate certificate) {
    return Publishers.done(certificates.insertOne(document(certificate)));
  }

  @Override
  public Future<Optional<ServiceCertificate>> find(String certificateId) {
    return Publishers.first(certificates.find(eq("_id", certificateId)))
        .map(found -> Optional.ofNullable(found).map(MongoCertificates::certificate));
  }

  @Override
  public Future<Page<ServiceCertificate>> ofMember(String memberId, Cursor after, int limit) {
    return Paging.ofMember(certificates, memberId, after, limit, MongoCertificates::certificate);
  }

  @Override
  public Future<ServiceCertificate> revoke(String certificateId, Instant at) {
    return Publishers.done(
            certificates.updateOne(
                and(eq("_id", certificateId), eq("revokedAt", null)),
                Updates.set("revokedAt", Date.from(at))))
        .compose(v -> find(certificateId))
        .map(Optional::orElseThrow);
  }

  private static Document document(ServiceCertificate certificate) {
    return new Document("_id", certificate.certificateId())
        .append("memberId", certificate.memberId())
        .append("memberName", certificate.memberName())
        .append("issuer", certificate.issuer())
        .append("createdAt", Date.from(certificate.issuedAt()))
        .append("from", certificate.from().toString())
        .append("to", certificate.to().toString())
        .append("categories", certificate.categories().stream().map(Category::name).toList())
        .append("hours", certificate.hours())
        .append("points", certificate.points())
        .append(
            "entries", certificate.entries().stream().map(MongoServiceRecords::document).toList())
        .append("verificationUrl", certificate.verificationUrl())
        .append("jws", certificate.jws())
        .append("revokedAt", null);
  }

  private static ServiceCertificate certificate(Document found) {
    return new ServiceCertificate(
        found.getString("_id"),
        found.getString("memberId"),
        found.getString("memberName"),
        found.getString("issuer"),
        Documents.instant(found, "createdAt"),
        LocalDate.parse(found.getString("from")),
        LocalDate.parse(found.getString("to")),
        found.getList("categories", String.class).stream().map(Category::valueOf).toList(),
        Documents.number(found, "hours"),
        Documents.number(found, "points"),
        found.getList("entries", Document.class, List.of()).stream()
            .map(MongoServiceRecords::record)
            .toList(),
        found.getString("verificationUrl"),
        found.getString("jws"),
        Documents.instant(found, "revokedAt"));
  }
}
