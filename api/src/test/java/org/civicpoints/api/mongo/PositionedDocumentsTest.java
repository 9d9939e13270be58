package org.civicpoints.api.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.mongo.PositionedDocuments.Change;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PositionedDocumentsTest {

  private MongoServer server;
  private MongoStore store;
  private MongoCollection<Document> totals;
  private PositionedDocuments documents;

  @BeforeEach
  void start() throws Exception {
    server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    store =
        new MongoStore("mongodb://127.0.0.1:" + server.getLocalAddress().getPort(), "positioned");
    totals = store.database().getCollection("totals");
    documents = new PositionedDocuments(store, totals);
    await(documents.createIndexes());
  }

  @AfterEach
  void stop() {
    store.close();
    server.shutdownNow();
  }

  @Test
  void the_embedded_store_gets_the_exact_lookup_index_for_the_compare_and_set() throws Exception {
    List<String> names = new ArrayList<>();
    for (Document index : await(Publishers.all(totals.listIndexes()))) {
      names.add(index.getString("name"));
    }
    assertTrue(names.contains("lookup_lastPosition"), names.toString());
  }

  @Test
  void sums_each_documents_new_changes_and_sets_the_last_ones() throws Exception {
    await(
        documents.apply(
            List.of(change("a", 1, 0, 5), change("b", 1, 1, 7), change("a", 2, 0, -2))));

    Document a = find("a");
    assertEquals(3L, a.getLong("points"));
    assertEquals(2L, a.getLong("entries"));
    assertEquals(-2L, a.getLong("lastPoints"));
    assertEquals("first:a", a.getString("createdBy"));
    assertEquals(new ChainPosition(2, 0, 0).asLong(), a.getLong("lastPosition"));
    assertEquals(7L, find("b").getLong("points"));
  }

  @Test
  void a_replayed_range_changes_nothing_and_only_the_new_tail_counts() throws Exception {
    await(documents.apply(List.of(change("a", 1, 0, 5), change("a", 2, 0, 4))));

    await(
        documents.apply(
            List.of(change("a", 1, 0, 5), change("a", 2, 0, 4), change("a", 3, 0, 10))));

    assertEquals(19L, find("a").getLong("points"));
    assertEquals(3L, find("a").getLong("entries"));
  }

  @Test
  void concurrent_writers_count_every_entry_once() throws Exception {
    List<Change> first = new ArrayList<>();
    List<Change> second = new ArrayList<>();
    for (int block = 1; block <= 40; block++) {
      (block % 2 == 0 ? first : second).add(change("shared", block, 0, 1));
    }
    List<Change> all = new ArrayList<>(second);
    all.addAll(first);
    all.sort((x, y) -> x.position().compareTo(y.position()));

    await(Future.all(documents.apply(all), documents.apply(all), documents.apply(all)));

    assertEquals(40L, find("shared").getLong("points"));
    assertEquals(40L, find("shared").getLong("entries"));
  }

  @Test
  void dotted_paths_add_up_inside_subdocuments_and_fields_of_other_changes_stay() throws Exception {
    await(
        documents.apply(
            List.of(
                new Change(
                    "m",
                    new ChainPosition(1, 0, 0),
                    new Document("points", 5L).append("byCategory.STUDY", 5L),
                    new Document("last.STUDY", "tx1"),
                    new Document("board", "city")))));
    await(
        documents.apply(
            List.of(
                new Change(
                    "m",
                    new ChainPosition(2, 0, 0),
                    new Document("points", 3L).append("byCategory.CIVIC", 3L),
                    new Document("last.CIVIC", "tx2"),
                    new Document("board", "not-applied: the document exists")),
                new Change(
                    "m",
                    new ChainPosition(2, 1, 0),
                    new Document("points", 2L).append("byCategory.STUDY", 2L),
                    new Document("last.STUDY", "tx3"),
                    new Document()))));

    Document m = find("m");
    assertEquals(10L, m.getLong("points"));
    assertEquals(
        new Document("STUDY", 7L).append("CIVIC", 3L), m.get("byCategory", Document.class));
    assertEquals(
        new Document("STUDY", "tx3").append("CIVIC", "tx2"), m.get("last", Document.class));
    assertEquals("city", m.getString("board"));
    assertEquals(new ChainPosition(2, 1, 0).asLong(), m.getLong("lastPosition"));
  }

  private static Change change(String id, long block, int tx, long points) {
    return new Change(
        id,
        new ChainPosition(block, tx, 0),
        new Document("points", points).append("entries", 1L),
        new Document("lastPoints", points),
        new Document("createdBy", "first:" + id));
  }

  private Document find(String id) throws Exception {
    return await(Publishers.first(totals.find(new Document("_id", id))));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
