package org.civicpoints.api.domain;

import java.util.List;

/** One page of a listing, newest first; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {}
