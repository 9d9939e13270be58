package org.civicpoints.api.domain;

/** One offending field of a request, named by its path (e.g. "roles", "query.communityId"). */
public record FieldError(String field, String message) {}
