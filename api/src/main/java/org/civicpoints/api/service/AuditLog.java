package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.AuditRecord;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.AuditTrail;
import org.civicpoints.api.port.AuditTrail.AuditQuery;

/**
 * Appends every staff and admin action to the audit trail, and lets admins (everything) and staff
 * (their communities) read it. Callers pass ids, states and numbers only, never names or phones.
 */
public final class AuditLog {

  private final AuditTrail trail;
  private final Clock clock;

  public AuditLog(AuditTrail trail, Clock clock) {
    this.trail = trail;
    this.clock = clock;
  }

  /** One action on one target, as {@link #recordAll} appends it. */
  public record Entry(
      String action, String target, JsonObject before, JsonObject after, String communityId) {}

  public Future<Void> record(
      String actor,
      String action,
      String target,
      JsonObject before,
      JsonObject after,
      String communityId) {
    return recordAll(actor, List.of(new Entry(action, target, before, after, communityId)));
  }

  /** All of one actor's entries in one append, in this order. */
  public Future<Void> recordAll(String actor, List<Entry> entries) {
    return trail.append(
        entries.stream()
            .map(
                entry ->
                    new AuditRecord(
                        Ids.auditId(),
                        actor,
                        entry.action(),
                        entry.target(),
                        fields(entry.before()),
                        fields(entry.after()),
                        clock.instant(),
                        entry.communityId()))
            .toList());
  }

  /** Admins read everything; staff must name one of their communities. */
  public Future<Page<AuditRecord>> list(Caller caller, AuditQuery query, String cursor, int limit) {
    if (!caller.isAdmin()) {
      if (!caller.has(Role.STAFF)) {
        throw DomainException.forbidden("staffOrAdmin", Map.of());
      }
      if (query.communityId() == null) {
        throw DomainException.invalidField("query.communityId", "requiredForStaff", Map.of());
      }
      if (!caller.staffsCommunity(query.communityId())) {
        throw DomainException.notFound(
            "communityInScope", Map.of("communityId", query.communityId()));
      }
    }
    return trail.list(query, Cursor.decode(cursor), limit);
  }

  private static Map<String, Object> fields(JsonObject json) {
    return json == null ? null : json.getMap();
  }
}
