package org.civicpoints.api.port;

/**
 * A read-model document was written anew only while it held no later chain position, and the
 * projector had moved it on meanwhile: the rewrite is refused, the projector's write kept.
 */
public final class ReadModelMovedOn extends RuntimeException {
  public ReadModelMovedOn(String collection, Throwable cause) {
    super(collection + ": the projector took in a later entry meanwhile", cause);
  }
}
