package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Reward;
import org.civicpoints.api.port.Rewards;

/** Collection {@code rewards}: one document per reward; {@code stock} absent is unlimited. */
public final class MongoRewards implements Rewards {

  /** The redemptions holding a unit of a limited stock, not yet handed out or given back. */
  private static final String HOLDERS = "holders";

  private final MongoCollection<Document> collection;

  public MongoRewards(MongoStore store) {
    this.collection = store.database().getCollection("rewards");
  }

  public Future<Void> createIndexes() {
    return NamedIndexes.create(collection, NamedIndexes.ascending("scope", "createdAt"));
  }

  @Override
  public Future<Void> insert(Reward reward) {
    return Publishers.done(collection.insertOne(toDocument(reward)));
  }

  @Override
  public Future<Optional<Reward>> find(String rewardId) {
    return Publishers.first(collection.find(eq("_id", rewardId)).first())
        .map(document -> Optional.ofNullable(document).map(MongoRewards::toReward));
  }

  /** Stock is not replaced here: a concurrent redemption's take must not be undone. */
  @Override
  public Future<Boolean> replace(Reward expected, Reward changed) {
    Document fields = toDocument(changed);
    fields.remove("_id");
    fields.remove("stock");
    List<Bson> sets = new ArrayList<>();
    fields.forEach((name, value) -> sets.add(Updates.set(name, value)));
    if (!Objects.equals(expected.stock(), changed.stock())) {
      if (changed.stock() == null) {
        // Unlimited now: nothing is held, and nothing given back may turn it limited again.
        sets.add(Updates.unset(HOLDERS));
      }
      sets.add(
          changed.stock() == null
              ? Updates.unset("stock")
              : expected.stock() == null
                  ? Updates.set("stock", changed.stock())
                  : Updates.inc("stock", changed.stock() - expected.stock()));
    }
    return Publishers.first(
            collection.updateOne(
                and(
                    eq("_id", expected.rewardId()),
                    eq("updatedAt", Date.from(expected.updatedAt()))),
                Updates.combine(sets)))
        .map(result -> result.getMatchedCount() == 1);
  }

  @Override
  public Future<Page<Reward>> list(Filter filter, Cursor after, int limit) {
    List<Bson> conditions = new ArrayList<>(List.of(in("scope", filter.scopes())));
    if (filter.category() != null) {
      conditions.add(eq("category", filter.category().name()));
    }
    if (filter.maxCost() != null) {
      conditions.add(lte("pointsCost", filter.maxCost()));
    }
    if (filter.availableAt() != null) {
      Date now = Date.from(filter.availableAt());
      conditions.add(eq("active", true));
      conditions.add(or(eq("availableFrom", null), lte("availableFrom", now)));
      conditions.add(or(eq("availableUntil", null), gt("availableUntil", now)));
    }
    return Paging.page(
        collection, and(conditions), "createdAt", after, limit, MongoRewards::toReward);
  }

  /**
   * The reward names the redemptions holding a unit ({@code holders}), so a give-back happens once
   * per redemption whoever repeats it (a retry, the repair of an interrupted request).
   */
  @Override
  public Future<Boolean> takeStock(String rewardId, String redemptionId) {
    return Publishers.first(
            collection.updateOne(
                and(eq("_id", rewardId), gt("stock", 0L), ne(HOLDERS, redemptionId)),
                Updates.combine(Updates.inc("stock", -1L), Updates.push(HOLDERS, redemptionId))))
        .map(result -> result.getModifiedCount() == 1);
  }

  @Override
  public Future<Boolean> holdsStock(String rewardId, String redemptionId) {
    return Publishers.first(
            collection.countDocuments(and(eq("_id", rewardId), eq(HOLDERS, redemptionId))))
        .map(count -> count == 1);
  }

  @Override
  public Future<Void> returnStock(String rewardId, String redemptionId) {
    return Publishers.done(
        collection.updateOne(
            and(eq("_id", rewardId), eq(HOLDERS, redemptionId), exists("stock")),
            Updates.combine(Updates.inc("stock", 1L), Updates.pull(HOLDERS, redemptionId))));
  }

  @Override
  public Future<Void> handedOut(String rewardId, String redemptionId) {
    return Publishers.done(
        collection.updateOne(eq("_id", rewardId), Updates.pull(HOLDERS, redemptionId)));
  }

  private static Document toDocument(Reward reward) {
    Document document =
        new Document("_id", reward.rewardId())
            .append("scope", reward.scope())
            .append("title", reward.title())
            .append("description", reward.description())
            .append("imageUrl", reward.imageUrl())
            .append("category", reward.category().name())
            .append("pointsCost", reward.pointsCost())
            .append("limitPerMonth", reward.limitPerMonth())
            .append("limitPerYear", reward.limitPerYear())
            .append("availableFrom", date(reward.availableFrom()))
            .append("availableUntil", date(reward.availableUntil()))
            .append("pickupPlace", reward.pickupPlace())
            .append("pickupHours", reward.pickupHours())
            .append("pickupDeadlineDays", reward.pickupDeadlineDays())
            .append("active", reward.active())
            .append("createdBy", reward.createdBy())
            .append("createdAt", Date.from(reward.createdAt()))
            .append("updatedAt", Date.from(reward.updatedAt()));
    if (reward.stock() != null) {
      document.append("stock", reward.stock());
    }
    return document;
  }

  private static Date date(java.time.Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Reward toReward(Document document) {
    Number stock = document.get("stock", Number.class);
    Number perMonth = document.get("limitPerMonth", Number.class);
    Number perYear = document.get("limitPerYear", Number.class);
    return new Reward(
        document.getString("_id"),
        document.getString("scope"),
        document.getString("title"),
        document.getString("description"),
        document.getString("imageUrl"),
        Reward.Category.valueOf(document.getString("category")),
        Documents.number(document, "pointsCost"),
        stock == null ? null : stock.longValue(),
        perMonth == null ? null : perMonth.intValue(),
        perYear == null ? null : perYear.intValue(),
        instant(document, "availableFrom"),
        instant(document, "availableUntil"),
        document.getString("pickupPlace"),
        document.getString("pickupHours"),
        (int) Documents.number(document, "pickupDeadlineDays"),
        document.getBoolean("active", true),
        document.getString("createdBy"),
        Documents.instant(document, "createdAt"),
        Documents.instant(document, "updatedAt"));
  }

  static java.time.Instant instant(Document document, String field) {
    Date date = document.getDate(field);
    return date == null ? null : date.toInstant();
  }
}
