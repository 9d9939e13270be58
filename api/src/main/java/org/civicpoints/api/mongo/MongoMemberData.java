package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.gte;

import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoDatabase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.civicpoints.api.port.MemberData;

/**
 * The personal-data map of the store: which collection holds what about a member, under which
 * field. A new collection that keeps something about members belongs here, so exports and deletions
 * keep covering everything.
 */
public final class MongoMemberData implements MemberData {

  /** Dates as ISO-8601 strings, numbers as plain JSON numbers. */
  private static final JsonWriterSettings PLAIN =
      JsonWriterSettings.builder()
          .outputMode(JsonMode.RELAXED)
          .dateTimeConverter(
              (millis, writer) -> writer.writeString(Instant.ofEpochMilli(millis).toString()))
          .build();

  private record Source(String collection, String memberField) {}

  private static final Map<Section, Source> SOURCES =
      Map.ofEntries(
          Map.entry(Section.PROFILE, new Source("members", "_id")),
          Map.entry(Section.SUBMISSIONS, new Source("submissions", "memberId")),
          Map.entry(Section.ATTENDANCE, new Source("attendances", "memberId")),
          Map.entry(Section.NOTIFICATIONS, new Source("notifications", "memberId")),
          Map.entry(
              Section.NOTIFICATION_PREFERENCES, new Source("notification_preferences", "_id")),
          Map.entry(Section.DEVICES, new Source("device_tokens", "memberId")),
          Map.entry(Section.SIGN_INS, new Source("session_families", "memberId")),
          Map.entry(Section.BALANCE, new Source("balances", "_id")),
          Map.entry(Section.LEDGER_ENTRIES, new Source("ledger_entries", "memberId")),
          Map.entry(Section.REDEMPTIONS, new Source("redemptions", "memberId")),
          Map.entry(Section.CONSENTS, new Source("consents", "memberId")),
          Map.entry(Section.COMMUNITY_CHANGES, new Source("community_changes", "memberId")),
          Map.entry(Section.EVIDENCE, new Source("evidence", "memberId")),
          Map.entry(Section.WAITLIST, new Source("waitlist", "memberId")),
          Map.entry(Section.CERTIFICATES, new Source(MongoCertificates.COLLECTION, "memberId")));

  private static final String DELETIONS = "member_deletions";

  private final MongoDatabase database;

  public MongoMemberData(MongoStore store) {
    this.database = store.database();
  }

  @Override
  public Future<List<JsonObject>> page(
      Section section, String memberId, String afterId, int limit) {
    Source source = SOURCES.get(section);
    Bson ofMember = eq(source.memberField(), memberId);
    Bson filter = afterId == null ? ofMember : and(ofMember, gt("_id", afterId));
    return Publishers.all(
            database
                .getCollection(source.collection())
                .find(filter)
                .sort(Sorts.ascending("_id"))
                .limit(limit))
        .map(MongoMemberData::plain);
  }

  private static List<JsonObject> plain(List<Document> documents) {
    List<JsonObject> records = new ArrayList<>(documents.size());
    documents.forEach(document -> records.add(new JsonObject(document.toJson(PLAIN))));
    return records;
  }

  @Override
  public Future<List<String>> evidenceIds(String memberId) {
    return Publishers.all(
            database
                .getCollection("evidence")
                .find(eq("memberId", memberId))
                .projection(Projections.include("_id")))
        .map(documents -> documents.stream().map(d -> d.getString("_id")).toList());
  }

  @Override
  public Future<Void> eraseTraces(String memberId) {
    Bson ofMember = eq("memberId", memberId);
    return Future.all(
            List.of(
                deleteAll("device_tokens", ofMember),
                deleteAll("refresh_tokens", ofMember),
                deleteAll("session_families", ofMember),
                deleteAll("evidence", ofMember),
                // Certificates name their member; a verifier then finds no such certificate.
                deleteAll(MongoCertificates.COLLECTION, ofMember),
                Publishers.done(
                    database
                        .getCollection("submissions")
                        .updateMany(ofMember, Updates.unset("evidence")))))
        .mapEmpty();
  }

  private Future<Void> deleteAll(String collection, Bson filter) {
    return Publishers.done(database.getCollection(collection).deleteMany(filter));
  }

  /** A small collection of its own, so every instance can poll it without scanning members. */
  @Override
  public Future<Void> noteDeletion(String memberId, Instant at) {
    return Publishers.done(
        database
            .getCollection(DELETIONS)
            .replaceOne(
                eq("_id", memberId),
                new Document("_id", memberId).append("deletedAt", Date.from(at)),
                new ReplaceOptions().upsert(true)));
  }

  @Override
  public Future<Set<String>> deletedSince(Instant since) {
    return Publishers.all(
            database.getCollection(DELETIONS).find(gte("deletedAt", Date.from(since))))
        .map(
            documents -> {
              Set<String> ids = new HashSet<>();
              documents.forEach(d -> ids.add(d.getString("_id")));
              return ids;
            });
  }
}
