package org.civicpoints.api.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One staff or admin action. {@code before} and {@code after} hold ids, states and numbers only:
 * personal data (phones, names) never goes into the audit trail.
 */
public record AuditRecord(
    String auditId,
    String actor,
    String action,
    String target,
    Map<String, Object> before,
    Map<String, Object> after,
    Instant at,
    String communityId) {}
