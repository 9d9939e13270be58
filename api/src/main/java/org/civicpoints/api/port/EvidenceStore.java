package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.net.URI;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;

/**
 * Where the bytes of evidence photos are kept, one private object per evidence and variant: GridFS
 * on the embedded store, Cloud Storage in production. Never on the chain, never in logs.
 */
public interface EvidenceStore {

  /** Keeps {@code jpeg} as the variant of that evidence (a repeat replaces it). */
  Future<Void> put(String evidenceId, Variant variant, byte[] jpeg);

  /** The bytes, or null when there are none (never stored, or deleted). */
  Future<byte[]> get(String evidenceId, Variant variant);

  /**
   * A short-lived URL at which the reader fetches the variant from the store itself, or null when
   * this store does not serve readers (the API then answers the bytes from {@link #get}).
   */
  default Future<URI> signedUrl(String evidenceId, Variant variant) {
    return Future.succeededFuture(null);
  }

  /** Deletes every variant of that evidence; idempotent. */
  Future<Void> delete(String evidenceId);
}
