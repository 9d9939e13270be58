package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.civicpoints.api.support.MongoProbe;
import org.civicpoints.api.support.TestApi;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The embedded store keeps documents as BSON; every value type comes back as it went in, and a file
 * whose documents mongo-java-server Java-serialised is rewritten when opened, losing nothing.
 */
class DocumentTypeTest {

  @Test
  void a_document_of_every_value_type_comes_back_as_it_was_written() {
    de.bwaldvogel.mongo.bson.Document nested =
        new de.bwaldvogel.mongo.bson.Document("year", 2026).append("points", -3L);
    de.bwaldvogel.mongo.bson.Document document =
        new de.bwaldvogel.mongo.bson.Document("_id", "m-1")
            .append("name", "张三 Zhang")
            .append("int", 7)
            .append("long", 1L << 40)
            .append("double", 0.5)
            .append("yes", true)
            .append("nothing", null)
            .append("at", Instant.ofEpochMilli(1_765_000_000_123L))
            .append("oid", new de.bwaldvogel.mongo.bson.ObjectId())
            .append("uuid", UUID.randomUUID())
            .append("lots", List.of(nested, nested))
            .append("tags", List.of("a", 1, List.of()))
            .append("empty", new de.bwaldvogel.mongo.bson.Document());
    DocumentType type = new DocumentType();
    WriteBuffer written = new WriteBuffer();
    type.write(written, document);
    type.write(written, nested);
    ByteBuffer file = written.getBuffer().flip();

    assertThat(type.read(file)).isEqualTo(document);
    assertThat(type.read(file)).isEqualTo(nested);
    assertThat(file.hasRemaining()).isFalse();
    assertThat(type.getMemory(document)).isPositive();
  }

  @Test
  void a_file_with_java_serialised_documents_is_rewritten_as_bson_when_opened() {
    Path file = TestApi.temporaryDirectory().resolve("serialised.mv");
    List<Document> claims =
        IntStream.range(0, 300)
            .mapToObj(
                n ->
                    new Document("_id", "c-" + n)
                        .append("key", "k-" + n)
                        .append("points", n % 2 == 0 ? n : (long) n)
                        .append("at", new Date(1_765_000_000_000L + n))
                        .append("by", new ObjectId())
                        .append("worth", new Decimal128(new BigDecimal("1.5")))
                        .append("lots", List.of(new Document("year", 2026).append("left", n))))
            .toList();
    H2Backend old = new H2Backend(file.toString());
    MongoServer server = LoopbackMongo.serve(old);
    try (MongoProbe mongo = LoopbackMongo.probe(server, "documents_test")) {
      LoopbackMongo.uniqueKeyIndex(mongo);
      MongoProbe.await(mongo.collection("claims").insertMany(claims));
    } finally {
      server.shutdownNow();
      old.close();
    }

    // A crash during an earlier rewrite left half a copy beside the collection.
    MVStore crashed = new MVStore.Builder().fileName(file.toString()).open();
    crashed.openMap("databases.documents_test.claims.rewriting").put("c-1", "half-copied");
    crashed.close();

    for (int opening = 1; opening <= 2; opening++) {
      H2FileBackend reopened = H2FileBackend.open(file.toString());
      MongoServer again = LoopbackMongo.serve(reopened);
      try (MongoProbe mongo = LoopbackMongo.probe(again, "documents_test")) {
        assertThat(reopened.getMvStore().getMapNames())
            .filteredOn(DocumentType::isCollection)
            .isNotEmpty()
            .allSatisfy(
                name ->
                    assertThat(reopened.getMvStore().openMap(name).getValueType())
                        .isInstanceOf(DocumentType.class));
        assertThat(reopened.getMvStore().getMapNames())
            .noneMatch(name -> name.endsWith("rewriting"));
        for (Document claim : claims) {
          assertThat(mongo.findOne("claims", Filters.eq("key", claim.get("key"))))
              .as("opening %d", opening)
              .isEqualTo(claim);
        }
        MongoProbe.await(
            mongo
                .collection("claims")
                .insertOne(new Document("_id", "new-" + opening).append("key", "n-" + opening)));
        assertThat(mongo.count("claims", Filters.regex("_id", "^new-")))
            .as("documents written as BSON, found again at the next opening")
            .isEqualTo(opening);
      } finally {
        again.shutdownNow();
        reopened.close();
      }
    }
  }
}
