package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/**
 * What the embedded store answered is there when it is opened again after the process died: the
 * backend is dropped without closing it (nothing more is forced to the journal, as a SIGKILL leaves
 * it) and the directory opened again.
 */
class JournaledBackendTest {

  private static final String DATABASE = "crash_test";
  private static final String LONG = "长".repeat(100_000);

  @Test
  void every_answered_write_is_in_the_journal_after_a_crash() {
    Path directory = TestApi.temporaryDirectory();
    crashedAfter(
        directory,
        (backend, mongo) -> {
          LoopbackMongo.uniqueKeyIndex(mongo);
          writeConcurrently(mongo, 0);
          MongoProbe.await(
              mongo
                  .collection("claims")
                  .updateMany(Filters.lt("n", 100), Updates.set("state", "APPROVED")));
          MongoProbe.await(mongo.collection("claims").deleteOne(Filters.eq("_id", "c-399")));
          // Larger than the journal's first buffer.
          MongoProbe.await(
              mongo
                  .collection("notes")
                  .insertOne(new Document("_id", "long").append("text", LONG)));
        });

    reopened(
        directory,
        mongo -> {
          assertThat(mongo.findOne("notes", Filters.eq("_id", "long")).getString("text"))
              .isEqualTo(LONG);
          assertThat(mongo.count("claims", new Document())).isEqualTo(399);
          assertThat(mongo.count("claims", Filters.eq("state", "APPROVED"))).isEqualTo(100);
          assertUniqueIndexHolds(mongo);
        });
  }

  @Test
  void snapshots_taken_while_writers_run_and_the_journal_after_them_give_the_state_answered() {
    Path directory = TestApi.temporaryDirectory();
    List<Document> answered = new ArrayList<>();
    crashedAfter(
        directory,
        (backend, mongo) -> {
          LoopbackMongo.uniqueKeyIndex(mongo);
          writeConcurrently(mongo, 0);
          MongoProbe.await(mongo.collection("claims").deleteMany(Filters.lt("n", 200)));
          // Emptied positions filled again, and more positions than a snapshot reads under one
          // hold of the collection's lock.
          writeConcurrently(mongo, 1000);
          writeConcurrently(mongo, 2000);
          writeConcurrently(mongo, 3000);
          AtomicBoolean writing = new AtomicBoolean(true);
          CompletableFuture<Void> writer =
              CompletableFuture.runAsync(() -> changeUntilStopped(mongo, writing));
          for (int snapshot = 0; snapshot < 5; snapshot++) {
            backend.snapshot();
          }
          writing.set(false);
          writer.join();
          answered.addAll(all(mongo));
        });
    assertThat(Journal.files(directory))
        .as("journal files before the last snapshot are deleted")
        .hasSize(1);

    reopened(
        directory,
        mongo -> {
          assertThat(all(mongo)).isEqualTo(answered);
          assertThat(answered).hasSizeGreaterThanOrEqualTo(1400);
          assertUniqueIndexHolds(mongo);
        });
  }

  /**
   * One writer's changes while snapshots are taken: documents updated, deleted and inserted (into
   * the positions the deletes empty), in an order fixed by a seed.
   */
  private static void changeUntilStopped(MongoProbe mongo, AtomicBoolean writing) {
    Random random = new Random(20);
    for (int change = 0; writing.get(); change++) {
      String id = "c-" + (2000 + random.nextInt(400));
      if (change % 5 == 4) {
        MongoProbe.await(mongo.collection("claims").deleteOne(Filters.eq("_id", id)));
        MongoProbe.await(
            mongo
                .collection("claims")
                .insertOne(new Document("_id", "w-" + change).append("key", "w-" + change)));
      } else {
        MongoProbe.await(
            mongo
                .collection("claims")
                .updateOne(Filters.eq("_id", id), Updates.set("seen", change)));
      }
    }
  }

  @Test
  void a_record_cut_short_at_the_end_of_the_journal_is_cut_off_and_later_writes_follow_it()
      throws IOException {
    Path directory = TestApi.temporaryDirectory();
    crashedAfter(directory, (backend, mongo) -> writeConcurrently(mongo, 0));
    Path last = Journal.files(directory).get(0);
    // The start of a record the process was writing when it died: a length, no payload.
    Files.write(last, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);

    reopened(
        directory,
        mongo -> {
          assertThat(mongo.count("claims", new Document())).isEqualTo(400);
          MongoProbe.await(mongo.collection("claims").insertOne(new Document("_id", "after")));
        });
    reopened(
        directory,
        mongo -> {
          assertThat(mongo.count("claims", new Document())).isEqualTo(401);
          assertThat(mongo.findOne("claims", Filters.eq("_id", "after"))).isNotNull();
        });
  }

  @Test
  void a_dropped_collection_stays_dropped_and_one_made_again_under_its_name_holds_only_its_own() {
    Path directory = TestApi.temporaryDirectory();
    crashedAfter(
        directory,
        (backend, mongo) -> {
          writeConcurrently(mongo, 0);
          MongoProbe.await(mongo.collection("balances").insertOne(new Document("_id", "m-1")));
          backend.snapshot();
          MongoProbe.await(mongo.collection("claims").drop());
          MongoProbe.await(mongo.collection("claims").insertOne(new Document("_id", "again")));
        });

    reopened(
        directory,
        mongo -> {
          assertThat(mongo.find("claims", new Document()))
              .containsExactly(new Document("_id", "again"));
          assertThat(mongo.count("balances", new Document())).isEqualTo(1);
        });
  }

  @Test
  void an_h2_file_of_an_earlier_version_becomes_the_first_snapshot() {
    Path directory = TestApi.temporaryDirectory();
    H2Backend h2 = new H2Backend(directory.resolve(JournaledBackend.H2_FILE).toString());
    MongoServer server = LoopbackMongo.serve(h2);
    try (MongoProbe mongo = LoopbackMongo.probe(server, DATABASE)) {
      LoopbackMongo.uniqueKeyIndex(mongo);
      writeConcurrently(mongo, 0);
      MongoProbe.await(mongo.collection("claims").deleteOne(Filters.eq("_id", "c-7")));
    }
    server.shutdownNow(); // closes the H2 file too

    reopened(
        directory,
        mongo -> {
          assertThat(mongo.count("claims", new Document())).isEqualTo(399);
          assertUniqueIndexHolds(mongo);
        });
    assertThat(directory.resolve(JournaledBackend.H2_FILE)).doesNotExist();
    assertThat(directory.resolve(JournaledBackend.H2_MIGRATED)).exists();
    assertThat(directory.resolve(Snapshot.FILE)).exists();
  }

  @Test
  void a_query_naming_id_and_other_fields_finds_and_changes_only_what_the_whole_query_matches() {
    reopened(
        TestApi.temporaryDirectory(),
        mongo -> {
          for (int n = 0; n < 10; n++) {
            MongoProbe.await(
                mongo
                    .collection("claims")
                    .insertOne(
                        new Document("_id", "c-" + n)
                            .append("status", n % 2 == 0 ? "PENDING" : "APPROVED")
                            .append("n", n)));
          }
          assertThat(
                  ids(
                      mongo,
                      Filters.and(Filters.eq("_id", "c-1"), Filters.eq("status", "PENDING"))))
              .isEmpty();
          assertThat(
                  ids(
                      mongo,
                      Filters.and(Filters.eq("_id", "c-2"), Filters.eq("status", "PENDING"))))
              .containsExactly("c-2");
          assertThat(
                  ids(
                      mongo,
                      Filters.and(
                          Filters.in("_id", "c-1", "c-2", "c-3", "c-4", "c-404"),
                          Filters.eq("status", "PENDING"))))
              .containsExactlyInAnyOrder("c-2", "c-4");
          assertThat(ids(mongo, Filters.and(Filters.gt("_id", "c-6"), Filters.gt("n", 7))))
              .as("an _id range: no index, the whole collection checked")
              .containsExactlyInAnyOrder("c-8", "c-9");

          // A compare-and-set: the second finds the status changed.
          Bson pending = Filters.and(Filters.eq("_id", "c-2"), Filters.eq("status", "PENDING"));
          Bson approve = Updates.set("status", "APPROVED");
          assertThat(MongoProbe.await(mongo.collection("claims").updateOne(pending, approve)))
              .singleElement()
              .satisfies(result -> assertThat(result.getModifiedCount()).isEqualTo(1));
          assertThat(MongoProbe.await(mongo.collection("claims").updateOne(pending, approve)))
              .singleElement()
              .satisfies(result -> assertThat(result.getMatchedCount()).isZero());
          MongoProbe.await(
              mongo
                  .collection("claims")
                  .deleteMany(
                      Filters.and(
                          Filters.in("_id", "c-3", "c-4"), Filters.eq("status", "PENDING"))));
          assertThat(ids(mongo, new Document())).doesNotContain("c-4").contains("c-3");
        });
  }

  @Test
  void
      an_equality_on_a_field_a_non_unique_index_names_first_finds_every_match_before_and_after_a_restart() {
    Path directory = TestApi.temporaryDirectory();
    Bson queued = Filters.eq("ledger.state", "QUEUED");
    Bson queuedAndDue = Filters.and(queued, Filters.lt("n", 6));
    reopened(
        directory,
        mongo -> {
          MongoProbe.await(
              mongo
                  .collection("claims")
                  .createIndex(Indexes.ascending("ledger.state", "ledger.leaseOwner")));
          for (int n = 0; n < 10; n++) {
            Object state =
                switch (n % 5) {
                  case 0, 1 -> "QUEUED";
                  case 2 -> List.of("QUEUED", "RETRY"); // an array holding it matches too
                  case 3 -> 7;
                  default -> "RECORDED";
                };
            MongoProbe.await(
                mongo
                    .collection("claims")
                    .insertOne(
                        new Document("_id", "c-" + n)
                            .append("n", n)
                            .append("ledger", new Document("state", state))));
          }
          MongoProbe.await(mongo.collection("claims").insertOne(new Document("_id", "no-ledger")));
          assertThat(ids(mongo, queued)).containsExactly("c-0", "c-1", "c-2", "c-5", "c-6", "c-7");
          MongoProbe.await(
              mongo
                  .collection("claims")
                  .updateOne(Filters.eq("_id", "c-1"), Updates.set("ledger.state", "RECORDED")));
          MongoProbe.await(mongo.collection("claims").deleteOne(Filters.eq("_id", "c-5")));
          MongoProbe.await(
              mongo
                  .collection("claims")
                  .updateOne(Filters.eq("_id", "c-9"), Updates.set("ledger.state", "QUEUED")));
          assertThat(ids(mongo, queuedAndDue)).containsExactly("c-0", "c-2");
          assertThat(ids(mongo, queued)).containsExactly("c-0", "c-2", "c-6", "c-7", "c-9");
        });
    reopened(
        directory,
        mongo -> {
          assertThat(ids(mongo, queued)).containsExactly("c-0", "c-2", "c-6", "c-7", "c-9");
          assertThat(
                  MongoProbe.await(mongo.collection("claims").find(queued).limit(2)).stream()
                      .map(document -> document.getString("_id")))
              .as("the first in natural order, as a scan finds them")
              .containsExactly("c-0", "c-2");
          assertThat(ids(mongo, Filters.eq("ledger.state", "RETRY"))).containsExactly("c-2", "c-7");
        });
  }

  private static List<String> ids(MongoProbe mongo, Bson filter) {
    return mongo.find("claims", filter).stream()
        .map(document -> document.getString("_id"))
        .toList();
  }

  /**
   * Opens the store, makes {@code writes} through the driver, and drops the store without forcing
   * anything more to the journal, as a killed process does.
   */
  private static void crashedAfter(
      Path directory, BiConsumer<JournaledBackend, MongoProbe> writes) {
    JournaledBackend backend = JournaledBackend.open(directory);
    MongoServer server = LoopbackMongo.serve(backend);
    try (MongoProbe mongo = LoopbackMongo.probe(server, DATABASE)) {
      writes.accept(backend, mongo);
    } finally {
      backend.closeImmediately();
      server.shutdownNow();
    }
  }

  /** Opens the directory as a restarted process does, checks it, and closes it. */
  private static void reopened(Path directory, Consumer<MongoProbe> check) {
    JournaledBackend backend = JournaledBackend.open(directory);
    MongoServer server = LoopbackMongo.serve(backend);
    try (MongoProbe mongo = LoopbackMongo.probe(server, DATABASE)) {
      check.accept(mongo);
    } finally {
      server.shutdownNow();
    }
  }

  private static List<Document> all(MongoProbe mongo) {
    return MongoProbe.await(mongo.collection("claims").find().sort(Sorts.ascending("_id")));
  }

  private static void assertUniqueIndexHolds(MongoProbe mongo) {
    assertThat(mongo.findOne("claims", Filters.eq("key", "k-250")))
        .as("found through the unique index")
        .isNotNull();
    assertThatThrownBy(
            () ->
                MongoProbe.await(
                    mongo
                        .collection("claims")
                        .insertOne(new Document("_id", "other").append("key", "k-250"))))
        .as("the unique index holds what it held before the crash")
        .hasStackTraceContaining("E11000");
  }

  /** 400 inserts from 8 threads at once, each answered before the next of its thread. */
  private static void writeConcurrently(MongoProbe mongo, int offset) {
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int writer = 0; writer < 8; writer++) {
      int first = offset + writer * 50;
      writers.add(
          CompletableFuture.runAsync(
              () ->
                  IntStream.range(first, first + 50)
                      .forEach(
                          n ->
                              MongoProbe.await(
                                  mongo
                                      .collection("claims")
                                      .insertOne(
                                          new Document("_id", "c-" + n)
                                              .append("key", "k-" + n)
                                              .append("n", n))))));
    }
    writers.forEach(CompletableFuture::join);
  }
}
