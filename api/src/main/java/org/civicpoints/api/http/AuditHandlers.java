package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.port.AuditTrail.AuditQuery;
import org.civicpoints.api.service.AuditLog;

/** Tag "Audit": the audit trail for admins (all) and staff (their communities). */
public final class AuditHandlers {

  private final AuditLog audit;

  public AuditHandlers(AuditLog audit) {
    this.audit = audit;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of("listAudit", this::list);
  }

  private void list(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    AuditQuery query =
        new AuditQuery(
            input.queryParam("communityId"), input.queryParam("actor"), input.queryParam("action"));
    Replies.page(
        ctx,
        (caller, cursor, limit) -> audit.list(caller, query, cursor, limit),
        CatalogViews::auditRecord);
  }
}
