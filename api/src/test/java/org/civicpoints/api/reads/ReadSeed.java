package org.civicpoints.api.reads;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.Year;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.domain.Ids;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * What {@link ReadBenchmark} reads: residents signed in through {@code POST /v1/auth/dev} (as the
 * app would), and, written straight into the API's embedded MongoDB in the shapes its projections
 * write, their balances, ledger entries and notifications, a community's activities and that
 * community's board of {@value #BOARD_SIZE} members (1 in 50 HIDDEN).
 */
final class ReadSeed {

  static final String COMMUNITY = "c-east-1a";
  static final int BOARD_SIZE = 10_000;
  static final String PERIOD = "year:" + Year.now(ZoneId.of("Asia/Shanghai"));
  private static final String BOARD = "community:" + COMMUNITY + "|" + PERIOD + "|ALL";
  private static final int ENTRIES_PER_MEMBER = 40;
  private static final int NOTIFICATIONS_PER_MEMBER = 10;
  private static final int ACTIVITIES = 30;

  /** A resident as the app holds it. */
  record Resident(String memberId, String accessToken) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final int apiPort;
  private final MongoClient mongo;
  private final MongoDatabase database;

  ReadSeed(int apiPort, int mongoPort) {
    this.apiPort = apiPort;
    this.mongo = MongoClients.create("mongodb://127.0.0.1:" + mongoPort);
    this.database = mongo.getDatabase("civic_points");
  }

  /** Signs {@code count} residents of the community in (again: same phones, fresh tokens). */
  List<Resident> signIn(int count) throws Exception {
    List<Resident> residents = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String phone = String.format("+8613700%06d", i);
      String body = "{\"phone\":\"" + phone + "\",\"communityId\":\"" + COMMUNITY + "\"}";
      HttpResponse<String> reply =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/v1/auth/dev"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (reply.statusCode() != 200) {
        throw new IllegalStateException("dev sign-in answered " + reply.body());
      }
      io.vertx.core.json.JsonObject session = new io.vertx.core.json.JsonObject(reply.body());
      residents.add(
          new Resident(
              session.getJsonObject("member").getString("memberId"),
              session.getString("accessToken")));
    }
    return residents;
  }

  /** Writes the residents' reads and the community's board and activities. */
  void readModels(List<Resident> residents) {
    List<Document> balances = new ArrayList<>();
    List<Document> entries = new ArrayList<>();
    List<Document> notifications = new ArrayList<>();
    List<Document> standings = new ArrayList<>();
    long block = 1;
    for (Resident resident : residents) {
      long earned = 0;
      for (int e = 0; e < ENTRIES_PER_MEMBER; e++, block++) {
        earned += 5;
        entries.add(entry(resident.memberId(), block, earned));
      }
      balances.add(balance(resident.memberId(), earned, block));
      standings.add(standing(resident.memberId(), earned, block));
      for (int n = 0; n < NOTIFICATIONS_PER_MEMBER; n++) {
        notifications.add(notification(resident.memberId(), n));
      }
    }
    List<Document> others = new ArrayList<>();
    for (int i = residents.size(); i < BOARD_SIZE; i++) {
      String memberId = Ids.memberId();
      others.add(profile(memberId, i % 50 == 0 ? "HIDDEN" : "MASKED"));
      standings.add(standing(memberId, 1 + (i * 7919L) % 5000, i));
    }
    insert("balances", balances);
    insert("ledger_entries", entries);
    insert("notifications", notifications);
    insert("members", others);
    insert("standings", standings);
    insert("activities", activities(residents.get(0).memberId()));
  }

  void close() {
    mongo.close();
  }

  private static Document entry(String memberId, long block, long balanceAfter) {
    return new Document("_id", Ids.submissionId())
        .append("memberId", memberId)
        .append("kind", "AWARD")
        .append("points", 5L)
        .append("category", "VOLUNTEER")
        .append("orgUnitId", COMMUNITY)
        .append("occurredOn", "2026-11-" + String.format("%02d", 1 + block % 28))
        .append("balanceAfter", balanceAfter)
        .append("txId", "tx" + block)
        .append("blockNumber", block)
        .append("position", block << 20);
  }

  private static Document balance(String memberId, long earned, long block) {
    return new Document("_id", memberId)
        .append("balance", earned)
        .append("earned", earned)
        .append("spent", 0L)
        .append("reversed", 0L)
        .append("entries", (long) ENTRIES_PER_MEMBER)
        .append("asOfBlock", block);
  }

  private static Document notification(String memberId, int n) {
    return new Document("_id", Ids.notificationId())
        .append("memberId", memberId)
        .append("kind", "SUBMISSION_RECORDED")
        .append("data", new Document("points", 5L).append("submissionId", Ids.submissionId()))
        .append("createdAt", Date.from(Instant.now().minusSeconds(60L * n)));
  }

  private static Document standing(String memberId, long points, long block) {
    return new Document("_id", BOARD + "|" + memberId)
        .append("board", BOARD)
        .append("memberId", memberId)
        .append("points", points)
        .append("entries", 1L)
        .append("byCategory", new Document("VOLUNTEER", points))
        .append("lastTxId", "tx" + block)
        .append("lastBlock", block);
  }

  private static Document profile(String memberId, String visibility) {
    return new Document("_id", memberId)
        .append("displayName", "Resident " + memberId.substring(2, 8))
        .append("roles", List.of("RESIDENT"))
        .append("scopes", List.of())
        .append("communityId", COMMUNITY)
        .append("leaderboardVisibility", visibility)
        .append("party", new Document("status", "NONE"))
        .append("language", "zh-CN")
        .append("createdAt", new Date());
  }

  private static List<Document> activities(String createdBy) {
    List<Document> activities = new ArrayList<>();
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
    for (int i = 0; i < ACTIVITIES; i++) {
      Instant startsAt = start.plus(i, ChronoUnit.DAYS);
      activities.add(
          new Document("_id", Ids.activityId())
              .append("communityId", COMMUNITY)
              .append("type", "VOLUNTEER")
              .append("ruleId", Ids.ruleId())
              .append("status", "OPEN")
              .append("enrolled", 0)
              .append("seatsLeft", 30)
              .append("checkInSecret", "s" + i)
              .append("createdBy", createdBy)
              .append("createdAt", new Date())
              .append("title", "Activity " + i)
              .append("startsAt", Date.from(startsAt))
              .append("endsAt", Date.from(startsAt.plus(3, ChronoUnit.HOURS)))
              .append("capacity", 30)
              .append("location", null)
              .append("checkIn", "CODE")
              .append("claimsPerDay", 1)
              .append("updatedAt", new Date()));
    }
    return activities;
  }

  private void insert(String collection, List<Document> documents) {
    for (int from = 0; from < documents.size(); from += 5_000) {
      await(
          database
              .getCollection(collection)
              .insertMany(documents.subList(from, Math.min(documents.size(), from + 5_000))));
    }
  }

  private static <T> void await(Publisher<T> publisher) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(
        new Subscriber<T>() {
          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(T item) {}

          @Override
          public void onError(Throwable failure) {
            done.completeExceptionally(failure);
          }

          @Override
          public void onComplete() {
            done.complete(null);
          }
        });
    try {
      done.get(5, TimeUnit.MINUTES);
    } catch (Exception failed) {
      throw new IllegalStateException("seeding MongoDB failed", failed);
    }
  }
}
