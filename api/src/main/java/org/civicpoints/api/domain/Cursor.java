package org.civicpoints.api.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Where a newest-first listing continues: the creation time and id of the last item shown. Opaque
 * to clients (base64url); a cursor that does not decode is a 400 naming the parameter.
 */
public record Cursor(Instant at, String id) {

  public String encode() {
    String raw = at.toEpochMilli() + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** null for no cursor (the first page). */
  public static Cursor decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new Cursor(
          Instant.ofEpochMilli(Long.parseLong(raw.substring(0, bar))), raw.substring(bar + 1));
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException notOurs) {
      throw DomainException.invalidField("query.cursor", "notOurCursor", Map.of());
    }
  }
}
