package org.civicpoints.api.domain;

import java.time.Instant;

/**
 * How many points one unit of an activity earns, with the member's daily and yearly caps (0 = no
 * cap). Every change is a new version; {@code ledgerState} says whether the chain has it yet.
 */
public record PointRule(
    String ruleId,
    long version,
    Category category,
    long points,
    long dailyCap,
    long yearlyCap,
    String title,
    boolean active,
    Instant createdAt,
    Instant updatedAt,
    String ledgerState) {}
