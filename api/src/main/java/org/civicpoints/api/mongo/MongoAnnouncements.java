package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.civicpoints.api.domain.Announcement;
import org.civicpoints.api.domain.Announcement.Link;
import org.civicpoints.api.port.Announcements;

/** Announcements in "announcements", _id = announcementId; scopeId+createdAt indexed. */
public final class MongoAnnouncements implements Announcements {

  private final MongoCollection<Document> collection;

  public MongoAnnouncements(MongoStore store) {
    this.collection = store.database().getCollection("announcements");
  }

  /** Idempotent; run once at start-up, before the adapter is used. */
  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("scopeId", "createdAt"));
  }

  @Override
  public Future<Void> insert(Announcement announcement) {
    Document document =
        new Document("_id", announcement.announcementId())
            .append("scopeId", announcement.scopeId())
            .append("title", announcement.title())
            .append("body", announcement.body())
            .append("pinned", announcement.pinned())
            .append("until", announcement.until() == null ? null : Date.from(announcement.until()))
            .append("createdBy", announcement.createdBy())
            .append("createdAt", Date.from(announcement.createdAt()));
    if (announcement.link() != null) {
      document.append(
          "link",
          new Document("kind", announcement.link().kind().name())
              .append("id", announcement.link().id()));
    }
    return Publishers.done(collection.insertOne(document));
  }

  @Override
  public Future<List<Announcement>> shownIn(Collection<String> scopeIds, Instant now, int limit) {
    return Publishers.all(
            collection
                .find(
                    and(
                        in("scopeId", scopeIds),
                        or(eq("until", null), gt("until", Date.from(now)))))
                .sort(Sorts.orderBy(Sorts.descending("pinned"), Sorts.descending("createdAt")))
                .limit(limit))
        .map(documents -> documents.stream().map(MongoAnnouncements::toAnnouncement).toList());
  }

  private static Announcement toAnnouncement(Document document) {
    Document link = document.get("link", Document.class);
    return new Announcement(
        document.getString("_id"),
        document.getString("scopeId"),
        document.getString("title"),
        document.getString("body"),
        link == null
            ? null
            : new Link(Link.Kind.valueOf(link.getString("kind")), link.getString("id")),
        document.getBoolean("pinned", false),
        Documents.instant(document, "until"),
        document.getString("createdBy"),
        Documents.instant(document, "createdAt"));
  }
}
