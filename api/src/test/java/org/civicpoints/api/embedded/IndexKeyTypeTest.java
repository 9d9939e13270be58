package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bson.Document;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.TestApi;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

/**
 * The embedded store orders index keys by their values; a file whose indexes were written in the
 * old order (by serialised bytes) still finds every document and refuses every duplicate once
 * opened.
 */
class IndexKeyTypeTest {

  private static final IndexKeyType ORDER = new IndexKeyType();

  @Test
  void keys_are_ordered_as_mongodb_orders_values_and_equal_keys_compare_equal() {
    List<KeyValue> ordered =
        List.of(
            new KeyValue(Missing.getInstance()),
            new KeyValue(2),
            new KeyValue(10L),
            new KeyValue("k-10"),
            new KeyValue("k-9"),
            new KeyValue("k-9", 1),
            new KeyValue("k-9", "a"),
            new KeyValue(new de.bwaldvogel.mongo.bson.Document("n", 1)),
            new KeyValue(true));
    List<KeyValue> shuffled = new ArrayList<>(ordered);
    Collections.shuffle(shuffled, new Random(7));
    shuffled.sort(ORDER);
    assertThat(shuffled).containsExactlyElementsOf(ordered);
    for (KeyValue a : ordered) {
      assertThat(ORDER.compare(a, new KeyValue(a.stream().toList()))).isZero();
      for (KeyValue b : ordered) {
        assertThat(Integer.signum(ORDER.compare(a, b)))
            .as("%s against %s", a, b)
            .isEqualTo(-Integer.signum(ORDER.compare(b, a)));
      }
    }
    assertThat(ORDER.compare(new KeyValue((Object) null), new KeyValue(Missing.getInstance())))
        .as("a null and a missing field are one value to MongoDB but two keys here")
        .isNotZero();
  }

  @Test
  void keys_are_written_compactly_and_read_back_equal_beside_keys_java_serialised_before() {
    List<KeyValue> keys =
        List.of(
            new KeyValue("s-1", 42L),
            new KeyValue(Missing.getInstance(), "ALL|m-1"),
            new KeyValue((Object) null),
            new KeyValue(7, 0.5, true, "张三"),
            new KeyValue(
                Instant.ofEpochMilli(1_765_000_000_123L),
                new de.bwaldvogel.mongo.bson.ObjectId(),
                UUID.randomUUID()),
            new KeyValue(new de.bwaldvogel.mongo.bson.Document("n", 1), List.of("a", 2)));
    WriteBuffer page = new WriteBuffer();
    keys.forEach(key -> ORDER.write(page, key));
    new ObjectDataType().write(page, keys.get(0)); // as mongo-java-server's H2 backend wrote it
    int compact = page.position();
    ByteBuffer read = page.getBuffer().flip();

    for (KeyValue key : keys) {
      Object back = ORDER.read(read);
      assertThat(back).isEqualTo(key);
      assertThat(ORDER.compare(back, key)).isZero();
    }
    assertThat(ORDER.read(read)).as("a Java-serialised key").isEqualTo(keys.get(0));
    assertThat(read.hasRemaining()).isFalse();
    assertThat(compact).as("bytes of six compact keys and one serialised").isLessThan(1_000);
    assertThat(ORDER.getMemory(keys.get(0))).isBetween(64, 512);
  }

  @Test
  void a_file_with_indexes_in_the_old_order_is_rebuilt_when_opened() {
    Path file = TestApi.temporaryDirectory().resolve("old-order.mv");
    H2Backend old = new H2Backend(file.toString());
    MongoServer server = LoopbackMongo.serve(old);
    try (MongoProbe mongo = LoopbackMongo.probe(server, "keys_test")) {
      LoopbackMongo.uniqueKeyIndex(mongo);
      MongoProbe.await(
          mongo
              .collection("claims")
              .insertMany(
                  IntStream.range(0, 500)
                      .mapToObj(n -> new Document("_id", "c-" + n).append("key", "k-" + n))
                      .toList()));
    } finally {
      server.shutdownNow();
      old.close();
    }

    H2FileBackend reopened = H2FileBackend.open(file.toString());
    MongoServer again = LoopbackMongo.serve(reopened);
    try (MongoProbe mongo = LoopbackMongo.probe(again, "keys_test")) {
      assertThat(reopened.getMvStore().getMapNames())
          .filteredOn(IndexKeyType::isIndex)
          .hasSize(2)
          .allSatisfy(
              name ->
                  assertThat(reopened.getMvStore().openMap(name).getKeyType())
                      .isInstanceOf(IndexKeyType.class));
      IntStream.range(0, 500)
          .forEach(
              n ->
                  assertThat(mongo.findOne("claims", Filters.eq("key", "k-" + n)))
                      .as("k-%d through the rebuilt unique index", n)
                      .isNotNull());
      assertThatThrownBy(
              () ->
                  MongoProbe.await(
                      mongo
                          .collection("claims")
                          .insertOne(new Document("_id", "other").append("key", "k-77"))))
          .hasStackTraceContaining("E11000");
      MongoProbe.await(
          mongo
              .collection("claims")
              .insertOne(new Document("_id", "c-500").append("key", "k-500")));
      assertThat(mongo.findOne("claims", Filters.eq("key", "k-500"))).isNotNull();
    } finally {
      again.shutdownNow();
      reopened.close();
    }
  }
}
