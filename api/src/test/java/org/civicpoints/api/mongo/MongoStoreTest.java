package org.civicpoints.api.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.WriteConcern;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.civicpoints.api.support.MongoProbe;
import org.junit.jupiter.api.Test;

/** The write concern every write of the API is sent with. */
class MongoStoreTest {

  @Test
  void writes_wait_for_a_journaled_majority_even_when_the_connection_string_asks_for_less() {
    MongoServer server = new MongoServer(new MemoryBackend());
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    String uri =
        "mongodb://127.0.0.1:"
            + server.getLocalAddress().getPort()
            + "/?w=1&journal=false&wtimeoutMS=10";
    MongoStore store = new MongoStore(uri, "write_concern_test");
    try {
      WriteConcern effective = store.database().getWriteConcern();
      assertThat(effective.getWObject()).isEqualTo("majority");
      assertThat(effective.getJournal()).isTrue();
      assertThat(effective.getWTimeout(TimeUnit.MILLISECONDS))
          .as("no time limit after which a write counts as failed while it may still succeed")
          .isNull();
      assertThat(store.database().getCollection("any").getWriteConcern()).isEqualTo(effective);
      assertThat(
              MongoProbe.await(
                      store
                          .database()
                          .getCollection("any")
                          .insertOne(new Document("_id", "written")))
                  .get(0)
                  .wasAcknowledged())
          .as("the embedded and test store accept that write concern")
          .isTrue();
    } finally {
      store.close();
      server.shutdownNow();
    }
  }
}
