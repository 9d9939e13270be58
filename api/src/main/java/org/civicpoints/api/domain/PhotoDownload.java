package org.civicpoints.api.domain;

import java.net.URI;

/**
 * How a reader gets a stored photo: its bytes through the API, or a short-lived signed URL at which
 * the store serves them itself (Cloud Storage); exactly one of the two.
 */
public record PhotoDownload(byte[] jpeg, URI signedUrl) {

  public static PhotoDownload bytes(byte[] jpeg) {
    return new PhotoDownload(jpeg, null);
  }

  public static PhotoDownload at(URI signedUrl) {
    return new PhotoDownload(null, signedUrl);
  }

  public boolean redirects() {
    return signedUrl != null;
  }
}
