package org.civicpoints.api.http;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.GeoFence;

/** Typed reads of validated input that JSON Schema cannot type (dates, times, pages). */
final class Inputs {

  static final int DEFAULT_LIMIT = 20;

  private Inputs() {}

  static Instant instant(JsonObject body, String field) {
    return dateTime(body.getString(field), field);
  }

  /** A date-time query parameter; a bad one is named "query.{name}". */
  static Instant queryInstant(ValidInput input, String name) {
    return dateTime(input.queryParam(name), "query." + name);
  }

  static LocalDate date(JsonObject body, String field) {
    return parsed(body.getString(field), LocalDate::parse, field, "notDate");
  }

  /** An optional query parameter that is a day (yyyy-MM-dd). */
  static LocalDate day(ValidInput input, String name) {
    String value = input.queryParam(name);
    return value == null ? null : parsed(value, LocalDate::parse, name, "notDate");
  }

  /** An optional query parameter naming a constant of {@code type}; the contract checked it. */
  static <E extends Enum<E>> E queryEnum(ValidInput input, String name, Class<E> type) {
    String value = input.queryParam(name);
    return value == null ? null : Enum.valueOf(type, value);
  }

  /** An optional boolean query parameter, false when absent. */
  static boolean flag(ValidInput input, String name) {
    return Boolean.TRUE.equals(input.query().get(name));
  }

  private static Instant dateTime(String value, String field) {
    return value == null
        ? null
        : parsed(value, text -> OffsetDateTime.parse(text).toInstant(), field, "notDateTime");
  }

  private static <T> T parsed(
      String value, Function<String, T> parse, String field, String messageKey) {
    try {
      return parse.apply(value);
    } catch (DateTimeParseException invalid) {
      throw DomainException.invalidField(field, messageKey, Map.of());
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
