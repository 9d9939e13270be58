package org.civicpoints.api.domain;

/**
 * An upload after processing: re-encoded JPEGs without any metadata (no EXIF, no GPS), the photo
 * with its long side at most 1600 px and its thumbnail at most 320 px.
 */
public record ProcessedPhoto(byte[] photo, byte[] thumbnail) {

  /** The two files kept of each upload. */
  public enum Variant {
    PHOTO,
    THUMBNAIL
  }

  public byte[] bytes(Variant variant) {
    return variant == Variant.PHOTO ? photo : thumbnail;
  }
}
