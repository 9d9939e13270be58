package org.civicpoints.api.domain;

/**
 * PENDING → APPROVED (queued for the ledger) → RECORDED | FAILED; PENDING → REJECTED; RECORDED →
 * REVERSED.
 */
public enum SubmissionStatus {
  PENDING,
  APPROVED,
  RECORDED,
  REJECTED,
  FAILED,
  REVERSED
}
