package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.NotificationPreferences;
import org.civicpoints.api.port.NotificationSettings;

/**
 * Preferences in "notification_preferences", _id = memberId; a topic never set is on. One upsert
 * sets only the topics a change names, so two changes of different topics never undo each other.
 */
public final class MongoNotificationSettings implements NotificationSettings {

  private final MongoCollection<Document> collection;

  public MongoNotificationSettings(MongoStore store) {
    this.collection = store.database().getCollection("notification_preferences");
  }

  @Override
  public Future<NotificationPreferences> of(String memberId) {
    return Publishers.first(collection.find(eq("_id", memberId)).first())
        .map(MongoNotificationSettings::toPreferences);
  }

  @Override
  public Future<NotificationPreferences> change(
      String memberId, Boolean reminders, Boolean announcements, Boolean results) {
    List<Bson> sets = new ArrayList<>();
    sets.add(Updates.set("updatedAt", new Date()));
    addIfGiven(sets, "reminders", reminders);
    addIfGiven(sets, "announcements", announcements);
    addIfGiven(sets, "results", results);
    return Publishers.first(
            collection.findOneAndUpdate(
                eq("_id", memberId),
                Updates.combine(sets),
                new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER)))
        .map(MongoNotificationSettings::toPreferences)
        // Two first changes at once: the loser's upsert hits the unique _id; now it exists.
        .recover(
            failure ->
                DuplicateKey.is(failure)
                    ? change(memberId, reminders, announcements, results)
                    : Future.failedFuture(failure));
  }

  private static void addIfGiven(List<Bson> sets, String topic, Boolean on) {
    if (on != null) {
      sets.add(Updates.set(topic, on));
    }
  }

  private static NotificationPreferences toPreferences(Document document) {
    if (document == null) {
      return NotificationPreferences.ALL;
    }
    return new NotificationPreferences(
        document.getBoolean("reminders", true),
        document.getBoolean("announcements", true),
        document.getBoolean("results", true));
  }
}
