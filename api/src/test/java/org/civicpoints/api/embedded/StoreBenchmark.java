package org.civicpoints.api.embedded;

import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.TestApi;

/**
 * What a large embedded store costs when the API starts: documents shaped like ledger entries are
 * written through the driver (journaled; the store takes its snapshots as it goes), then the store
 * is opened twice — as the writes left it, and from a snapshot just taken — and the time to open
 * and the live heap after it are printed.
 *
 * <p>Arguments: [documents (1,000,000)]. Run with a heap large enough for the store, e.g. {@code
 * MAVEN_OPTS=-Xmx8g}.
 */
public final class StoreBenchmark {

  private static final String DATABASE = "store_benchmark";
  private static final int BATCH = 1000;

  private StoreBenchmark() {}

  public static void main(String[] args) {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path directory = TestApi.temporaryDirectory();
    System.out.printf("%,d documents in %s%n", documents, directory);
    write(directory, documents);
    opened(directory, "as the writes left it");
    snapshot(directory);
    opened(directory, "from a snapshot just taken");
  }

  /** Each step in a method of its own: no store of a step before is reachable when heap is read. */
  private static void write(Path directory, int documents) {
    JournaledBackend backend = JournaledBackend.open(directory);
    MongoServer server = LoopbackMongo.serve(backend);
    long writing = System.nanoTime();
    try (MongoProbe mongo = LoopbackMongo.probe(server, DATABASE)) {
      MongoProbe.await(
          mongo
              .collection("ledger_entries")
              .createIndex(
                  Indexes.ascending("memberId", "entryId"), new IndexOptions().unique(true)));
      for (int first = 0; first < documents; first += BATCH) {
        MongoProbe.await(mongo.collection("ledger_entries").insertMany(batch(first, documents)));
      }
    } finally {
      server.shutdownNow();
    }
    System.out.printf(
        "written through the driver in batches of %,d: %.1f s%n", BATCH, seconds(writing));
  }

  private static void snapshot(Path directory) {
    JournaledBackend backend = JournaledBackend.open(directory);
    long started = System.nanoTime();
    backend.snapshot();
    System.out.printf("snapshot taken: %.1f s%n", seconds(started));
    backend.close();
  }

  private static void opened(Path directory, String how) {
    System.out.printf(
        "%s: snapshot %,d MB, journal %,d MB in %d files%n",
        how,
        size(List.of(directory.resolve(Snapshot.FILE))) >> 20,
        size(Journal.files(directory)) >> 20,
        Journal.files(directory).size());
    System.gc();
    long opening = System.nanoTime();
    JournaledBackend backend = JournaledBackend.open(directory);
    double took = seconds(opening);
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf("opened %s: %.1f s, live heap after %,d MB%n", how, took, heap >> 20);
    backend.close();
  }

  private static long size(List<Path> files) {
    long bytes = 0;
    for (Path file : files) {
      try {
        bytes += Files.exists(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }

  private static List<Document> batch(int first, int documents) {
    List<Document> batch = new ArrayList<>(BATCH);
    for (int n = first; n < Math.min(first + BATCH, documents); n++) {
      batch.add(
          new Document("_id", "e-" + n)
              .append("memberId", "m_" + (n % 50_000))
              .append("entryId", "aw_" + n)
              .append("kind", "AWARD")
              .append("points", 10)
              .append("category", "VOLUNTEER")
              .append("note", "社区环境整治志愿服务")
              .append("txId", Long.toHexString(n * 0x9E3779B97F4A7C15L))
              .append("recordedAt", new Date(1_700_000_000_000L + n * 1000L)));
    }
    return batch;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / (double) TimeUnit.SECONDS.toNanos(1);
  }
}
