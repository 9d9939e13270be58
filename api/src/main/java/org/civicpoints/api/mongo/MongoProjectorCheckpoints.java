package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.reactivestreams.client.MongoCollection;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.port.ProjectorCheckpoints;

/**
 * "ledger_checkpoints": {@code _id = projector} holds its checkpoint, {@code
 * projector-projector-lease} its lease.
 */
public final class MongoProjectorCheckpoints implements ProjectorCheckpoints {

  private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
  private final MongoCollection<Document> checkpoints;

  public MongoProjectorCheckpoints(MongoStore store) {
    this.checkpoints = store.database().getCollection("ledger_checkpoints");
  }

  @Override
  public Future<Optional<ChainPosition>> checkpoint(String projector) {
    return Publishers.first(checkpoints.find(eq("_id", projector)))
        .map(
            document ->
                Optional.ofNullable(document)
                    .map(
                        found ->
                            new ChainPosition(
                                Documents.number(found, "blockNumber"),
                                (int) Documents.number(found, "txOrdinal"),
                                0)));
  }

  @Override
  public Future<Void> saveCheckpoint(String projector, ChainPosition lastApplied) {
    return Publishers.done(
        checkpoints.updateOne(
            eq("_id", projector),
            Updates.combine(
                Updates.set("blockNumber", lastApplied.blockNumber()),
                Updates.set("txOrdinal", lastApplied.txOrdinal()),
                Updates.set("updatedAt", new Date())),
            UPSERT));
  }

  @Override
  public Future<Boolean> holdLease(String projector, String owner, Instant now, Instant until) {
    Bson free =
        and(eq("_id", lease(projector)), or(lt("until", Date.from(now)), eq("owner", owner)));
    return DuplicateKey.refusedAsFalse(
        Publishers.done(
            checkpoints.updateOne(
                free,
                Updates.combine(
                    Updates.set("owner", owner), Updates.set("until", Date.from(until))),
                UPSERT)));
  }

  @Override
  public Future<Void> releaseLease(String projector, String owner) {
    return Publishers.done(
        checkpoints.updateOne(
            and(eq("_id", lease(projector)), eq("owner", owner)),
            Updates.set("until", new Date(0))));
  }

  private static String lease(String projector) {
    return projector + "-projector-lease";
  }
}
