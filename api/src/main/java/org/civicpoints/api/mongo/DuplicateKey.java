package org.civicpoints.api.mongo;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoWriteException;
import io.vertx.core.Future;

/** Recognises a unique-index violation by its error code (11000), never by message text. */
final class DuplicateKey {

  private DuplicateKey() {}

  /** A bulk write whose every failed write hit a unique index. */
  static boolean onlyInBulk(Throwable failure) {
    return failure instanceof MongoBulkWriteException bulk
        && bulk.getWriteErrors().stream()
            .allMatch(
                error ->
                    ErrorCategory.fromErrorCode(error.getCode()) == ErrorCategory.DUPLICATE_KEY);
  }

  static boolean is(Throwable failure) {
    if (failure instanceof MongoWriteException write) {
      return write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
    return failure instanceof MongoCommandException command
        && ErrorCategory.fromErrorCode(command.getErrorCode()) == ErrorCategory.DUPLICATE_KEY;
  }

  /**
   * True once the write is done, false when a unique index refused it (it was there already); other
   * failures stay failures.
   */
  static Future<Boolean> refusedAsFalse(Future<Void> write) {
    return write
        .map(true)
        .recover(
            failure -> is(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }
}
