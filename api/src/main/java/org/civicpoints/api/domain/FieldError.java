package org.civicpoints.api.domain;

import java.util.Map;

/** One offending field of a request, named by its path (e.g. "roles", "query.communityId"). */
public record FieldError(String field, Text message) {

  /** A message from the catalogue: key "field.{messageKey}". */
  public static FieldError of(String field, String messageKey, Map<String, ?> args) {
    return new FieldError(field, Text.of("field." + messageKey, args));
  }
}
