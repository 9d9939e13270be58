package org.civicpoints.api.domain;

/**
 * Why a ledger write did not land, classified by what the relay must do next. Built by the ledger
 * adapter from exception types and codes, never from message prose.
 */
public final class LedgerFailure extends RuntimeException {

  /** What the relay does about a failure. */
  public enum Kind {
    /** The chaincode refused the command (its code, e.g. RULE_INACTIVE): the submission fails. */
    REJECTED,
    /** Unavailable, deadline, unknown commit status: the same entryIds again, after a backoff. */
    RETRYABLE,
    /** MVCC or phantom read conflict at commit: a new transaction with the same entryIds, now. */
    CONFLICT,
    /** Committed invalid for another reason: retried a few times, then the submission fails. */
    INVALID
  }

  private final Kind kind;
  private final String code;

  public LedgerFailure(Kind kind, String code, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The chaincode's error code, the gRPC status code or the transaction validation code. */
  public String code() {
    return code;
  }
}
