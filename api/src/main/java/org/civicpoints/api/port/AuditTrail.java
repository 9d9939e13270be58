package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.AuditRecord;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;

/** The append-only audit trail in "audit". */
public interface AuditTrail {

  /** In one insert, in this order; nothing for none. */
  Future<Void> append(List<AuditRecord> records);

  /** Newest first; null filters match everything. */
  Future<Page<AuditRecord>> list(AuditQuery query, Cursor after, int limit);

  record AuditQuery(String communityId, String actor, String action) {}
}
