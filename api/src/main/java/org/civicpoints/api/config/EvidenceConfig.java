package org.civicpoints.api.config;

import com.google.cloud.storage.StorageOptions;
import java.util.Optional;

/**
 * Where evidence photos are kept (CIVIC_EVIDENCE_STORE): GridFS beside the records (the default),
 * or the private Cloud Storage bucket CIVIC_EVIDENCE_BUCKET, reached with application default
 * credentials unless {@code storageOptions} are given (tests give the library's in-memory fake).
 */
public record EvidenceConfig(
    EvidenceConfig.Store store, Optional<String> bucket, Optional<StorageOptions> storageOptions) {

  /** The values of CIVIC_EVIDENCE_STORE. */
  public enum Store {
    GRIDFS,
    GCS
  }

  public static EvidenceConfig gridFs() {
    return new EvidenceConfig(Store.GRIDFS, Optional.empty(), Optional.empty());
  }

  /** The same bucket, reached through {@code options} instead of the default client. */
  public EvidenceConfig withStorageOptions(StorageOptions options) {
    return new EvidenceConfig(store, bucket, Optional.of(options));
  }
}
