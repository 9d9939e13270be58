package org.civicpoints.api.http;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.GeoFence;

/** Typed reads of validated input that JSON Schema cannot type (dates, times, pages). */
final class Inputs {

  static final int DEFAULT_LIMIT = 20;

  private Inputs() {}

  static Instant instant(JsonObject body, String field) {
    String value = body.getString(field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException invalid) {
      throw DomainException.invalidField(field, "notDateTime", Map.of());
    }
  }

  /** A date-time query parameter; a bad one is named "query.{name}". */
  static Instant queryInstant(ValidInput input, String name) {
    String value = input.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException invalid) {
      throw DomainException.invalidField("query." + name, "notDateTime", Map.of());
    }
  }

  static LocalDate date(JsonObject body, String field) {
    try {
      return LocalDate.parse(body.getString(field));
    } catch (DateTimeParseException invalid) {
      throw DomainException.invalidField(field, "notDate", Map.of());
    }
  }

  /** An optional query parameter that is a day (yyyy-MM-dd). */
  static LocalDate day(ValidInput input, String name) {
    String value = input.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException invalid) {
      throw DomainException.invalidField(name, "notDate", Map.of());
    }
  }

  static GeoFence geoFence(JsonObject location) {
    return location == null
        ? null
        : new GeoFence(
            location.getDouble("lat"),
            location.getDouble("lng"),
            location.getInteger("radiusMeters"));
  }

  static int limit(ValidInput input) {
    Object limit = input.query().get("limit");
    return limit instanceof Number number ? number.intValue() : DEFAULT_LIMIT;
  }

  static JsonObject bodyOrEmpty(ValidInput input) {
    return input.body() == null ? new JsonObject() : input.body();
  }
}
