package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.bson.Document;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.TestApi;
import org.junit.jupiter.api.Test;

/**
 * What the embedded store answered is in its file when the process dies a moment later: the MVStore
 * is dropped without a last commit, as a SIGKILL leaves it, and opened again.
 */
class CommittingH2BackendTest {

  private static final String DATABASE = "crash_test";

  @Test
  void every_answered_write_is_in_the_file_after_a_crash() {
    Path file = TestApi.temporaryDirectory().resolve("crash.mv");
    CommittingH2Backend backend = CommittingH2Backend.open(file.toString());
    MongoServer server = LoopbackMongo.serve(backend);
    try (MongoProbe mongo = LoopbackMongo.probe(server, DATABASE)) {
      LoopbackMongo.uniqueKeyIndex(mongo);
      writeConcurrently(mongo);
      MongoProbe.await(
          mongo
              .collection("claims")
              .updateMany(Filters.lt("n", 100), Updates.set("state", "APPROVED")));
      MongoProbe.await(mongo.collection("claims").deleteOne(Filters.eq("_id", "c-399")));
    }
    crash(backend, server);

    CommittingH2Backend reopened = CommittingH2Backend.open(file.toString());
    MongoServer again = LoopbackMongo.serve(reopened);
    try (MongoProbe mongo = LoopbackMongo.probe(again, DATABASE)) {
      assertThat(mongo.count("claims", new Document())).isEqualTo(399);
      assertThat(mongo.count("claims", Filters.eq("state", "APPROVED"))).isEqualTo(100);
      assertThat(mongo.findOne("claims", Filters.eq("key", "k-250")))
          .as("found through the unique index that was written with it")
          .isNotNull();
      assertThatThrownBy(
              () ->
                  MongoProbe.await(
                      mongo
                          .collection("claims")
                          .insertOne(new Document("_id", "other").append("key", "k-7"))))
          .as("the unique index holds what it held before the crash")
          .hasStackTraceContaining("E11000");
    } finally {
      again.shutdownNow();
      reopened.close();
    }
  }

  /** 400 inserts from 8 threads at once, each answered before the next of its thread. */
  private static void writeConcurrently(MongoProbe mongo) {
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int writer = 0; writer < 8; writer++) {
      int first = writer * 50;
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

  /** Drops the file without writing anything more, as a killed process does. */
  private static void crash(H2Backend backend, MongoServer server) {
    backend.getMvStore().closeImmediately();
    server.shutdownNow();
  }
}
