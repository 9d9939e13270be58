package org.civicpoints.api.gcs;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.google.common.base.Suppliers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;
import org.civicpoints.api.port.EvidenceStore;

/**
 * Evidence bytes in a private Cloud Storage bucket, one object per evidence and variant, named
 * "evidence/{evidenceId}/{variant}.jpg". Readers get a V4 signed URL valid for {@link
 * #SIGNED_URL_LIFETIME}, never a public one. The client blocks (and signing may call IAM's
 * signBlob), so every call runs on this store's own workers.
 */
public final class GcsEvidenceStore implements EvidenceStore {

  public static final Duration SIGNED_URL_LIFETIME = Duration.ofMinutes(5);
  private static final int WORKERS = 4;
  private static final int NOT_FOUND = 404;

  /** Made on first use, on a worker: finding application default credentials may block. */
  private final Supplier<Storage> storage;

  private final String bucket;
  private final WorkerExecutor workers;

  private GcsEvidenceStore(Supplier<Storage> storage, String bucket, WorkerExecutor workers) {
    this.storage = Suppliers.memoize(storage::get);
    this.bucket = bucket;
    this.workers = workers;
  }

  /**
   * The bucket through {@code options}, or through a client with application default credentials
   * (GOOGLE_APPLICATION_CREDENTIALS, or the workload's own identity) when there are none.
   */
  public static GcsEvidenceStore open(
      Vertx vertx, String bucket, Optional<StorageOptions> options) {
    return new GcsEvidenceStore(
        () -> options.orElseGet(() -> StorageOptions.newBuilder().build()).getService(),
        bucket,
        vertx.createSharedWorkerExecutor("evidence-storage", WORKERS));
  }

  @Override
  public Future<Void> put(String evidenceId, Variant variant, byte[] jpeg) {
    BlobInfo object =
        BlobInfo.newBuilder(objectId(evidenceId, variant))
            .setContentType("image/jpeg")
            // What a reader's app may keep once it followed a signed URL: as the API's own answer.
            .setCacheControl("private, max-age=3600")
            .build();
    return blocking(
        () -> {
          storage.get().create(object, jpeg);
          return null;
        });
  }

  @Override
  public Future<byte[]> get(String evidenceId, Variant variant) {
    BlobId id = objectId(evidenceId, variant);
    return blocking(
        () -> {
          try {
            return storage.get().readAllBytes(id);
          } catch (StorageException failure) {
            if (failure.getCode() == NOT_FOUND) {
              return null;
            }
            throw failure;
          }
        });
  }

  /** Signed for GET of that one object, with the credentials' key or through IAM signBlob. */
  @Override
  public Future<URI> signedUrl(String evidenceId, Variant variant) {
    BlobInfo object = BlobInfo.newBuilder(objectId(evidenceId, variant)).build();
    return blocking(
        () ->
            storage
                .get()
                .signUrl(
                    object,
                    SIGNED_URL_LIFETIME.toSeconds(),
                    TimeUnit.SECONDS,
                    SignUrlOption.withV4Signature(),
                    SignUrlOption.httpMethod(HttpMethod.GET))
                .toURI());
  }

  /** Each variant on its own: a missing object is already deleted, which is success. */
  @Override
  public Future<Void> delete(String evidenceId) {
    return blocking(
        () -> {
          Arrays.stream(Variant.values())
              .forEach(variant -> storage.get().delete(objectId(evidenceId, variant)));
          return null;
        });
  }

  private BlobId objectId(String evidenceId, Variant variant) {
    return BlobId.of(
        bucket, "evidence/" + evidenceId + "/" + variant.name().toLowerCase(Locale.ROOT) + ".jpg");
  }

  /** Unordered: uploads and reads of different photos do not wait for each other. */
  private <T> Future<T> blocking(Callable<T> call) {
    return workers.executeBlocking(call, false);
  }
}
