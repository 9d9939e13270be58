package org.civicpoints.api.mongo;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoGridFSException;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import com.mongodb.reactivestreams.client.gridfs.GridFSBucket;
import com.mongodb.reactivestreams.client.gridfs.GridFSBuckets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bson.BsonString;
import org.bson.Document;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;
import org.civicpoints.api.port.EvidenceStore;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Evidence bytes in the GridFS bucket "evidence_files" (collections evidence_files.files and
 * .chunks), one file per evidence and variant, its id "{evidenceId}/{variant}". The default of
 * embedded servers; works the same on MongoDB (see api/README.md for mongo-java-server).
 */
public final class GridFsEvidenceStore implements EvidenceStore {

  private final GridFSBucket bucket;

  public GridFsEvidenceStore(MongoStore store) {
    this.bucket = GridFSBuckets.create(store.database(), "evidence_files");
  }

  @Override
  public Future<Void> put(String evidenceId, Variant variant, byte[] jpeg) {
    return Publishers.done(
        bucket.uploadFromPublisher(
            fileId(evidenceId, variant),
            evidenceId + "-" + name(variant) + ".jpg",
            single(jpeg),
            new GridFSUploadOptions()
                .metadata(
                    new Document("contentType", "image/jpeg").append("evidenceId", evidenceId))));
  }

  /** Looked up first: a download of a missing file fails like a broken one would. */
  @Override
  public Future<byte[]> get(String evidenceId, Variant variant) {
    BsonString id = fileId(evidenceId, variant);
    return Publishers.first(bucket.find(eq("_id", id)))
        .compose(
            file ->
                file == null
                    ? Future.succeededFuture(null)
                    : Publishers.all(bucket.downloadToPublisher(id))
                        .map(GridFsEvidenceStore::joined));
  }

  @Override
  public Future<Void> delete(String evidenceId) {
    return Future.all(
            Arrays.stream(Variant.values())
                .map(variant -> deleteFile(fileId(evidenceId, variant)))
                .toList())
        .mapEmpty();
  }

  /** The driver refuses to delete a file that is not there: for a delete, that is success. */
  private Future<Void> deleteFile(BsonString id) {
    return Publishers.done(bucket.delete(id))
        .recover(
            failure ->
                failure instanceof MongoGridFSException
                    ? Future.succeededFuture()
                    : Future.failedFuture(failure));
  }

  private static BsonString fileId(String evidenceId, Variant variant) {
    return new BsonString(evidenceId + "/" + name(variant));
  }

  private static String name(Variant variant) {
    return variant.name().toLowerCase(Locale.ROOT);
  }

  private static byte[] joined(List<ByteBuffer> chunks) {
    Buffer joined = Buffer.buffer();
    chunks.forEach(
        chunk -> {
          byte[] bytes = new byte[chunk.remaining()];
          chunk.get(bytes);
          joined.appendBytes(bytes);
        });
    return joined.getBytes();
  }

  /** The whole file as one buffer (at most a few hundred KB after processing). */
  private static Publisher<ByteBuffer> single(byte[] bytes) {
    return subscriber -> subscriber.onSubscribe(new OneBuffer(subscriber, bytes));
  }

  private static final class OneBuffer implements Subscription {
    private final Subscriber<? super ByteBuffer> subscriber;
    private final byte[] bytes;
    private boolean done;

    OneBuffer(Subscriber<? super ByteBuffer> subscriber, byte[] bytes) {
      this.subscriber = subscriber;
      this.bytes = bytes;
    }

    @Override
    public void request(long n) {
      if (done || n <= 0) {
        return;
      }
      done = true;
      subscriber.onNext(ByteBuffer.wrap(bytes));
      subscriber.onComplete();
    }

    @Override
    public void cancel() {
      done = true;
    }
  }
}
