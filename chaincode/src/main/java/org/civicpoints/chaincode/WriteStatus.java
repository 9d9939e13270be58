package org.civicpoints.chaincode;

/**
 * What a write did with one item. Every write answers RECORDED or DUPLICATE (the same request was
 * recorded before: nothing changed); RecordAwards answers per item and may also answer CONFLICT
 * (the entryId is taken by different content) or REJECTED (the item broke a rule, its {@code code}
 * says which).
 */
public enum WriteStatus {
  RECORDED,
  DUPLICATE,
  CONFLICT,
  REJECTED
}
