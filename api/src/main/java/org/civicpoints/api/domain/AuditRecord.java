package org.civicpoints.api.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One staff or admin action. {@code before} and {@code after} hold ids, states and numbers only:
 * personal data (phones, names) never goes into the audit trail.
 */
public record AuditRecord(
    String auditId,
    String actor,
    String action,
    String target,
    JsonObject before,
    JsonObject after,
    Instant at,
    String communityId) {}
