package org.civicpoints.api.domain;

import java.time.LocalDate;

/** The points a scope earned (minus reversals) on one day, for trend charts. */
public record DailyPoints(LocalDate date, long points) {}
