package org.civicpoints.chaincode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONParserConfiguration;
import org.json.JSONTokener;

/**
 * Reads and validates the fields of one JSON request object. Every failure is an {@code
 * INVALID_ARGUMENT} naming the field, so a caller can fix its request without guessing.
 */
final class Fields {
  static final int MAX_ID_LENGTH = 128;
  static final long MAX_UNITS = 10_000;

  private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** The shim's highest code point, used as the end of composite-key ranges. */
  private static final int MAX_UNICODE_RUNE = 0x10FFFF;

  private final JSONObject json;

  private Fields(final JSONObject json) {
    this.json = json;
  }

  static Fields of(final JSONObject json) {
    return new Fields(json);
  }

  static JSONObject parseObject(final String text, final String argument) {
    final Object value = parse(text, argument);
    if (!(value instanceof JSONObject object)) {
      throw PointsError.INVALID_ARGUMENT.exception(argument + " must be a JSON object");
    }
    return object;
  }

  static JSONArray parseArray(final String text, final String argument) {
    final Object value = parse(text, argument);
    if (!(value instanceof JSONArray array)) {
      throw PointsError.INVALID_ARGUMENT.exception(argument + " must be a JSON array");
    }
    return array;
  }

  private static Object parse(final String text, final String argument) {
    if (text == null || text.isBlank()) {
      throw PointsError.INVALID_ARGUMENT.exception(argument + " is empty");
    }
    try {
      // Strict: org.json otherwise accepts single quotes and unquoted names and values.
      final JSONTokener tokener =
          new JSONTokener(text, new JSONParserConfiguration().withStrictMode());
      final Object value = tokener.nextValue();
      if (tokener.nextClean() != 0) {
        throw PointsError.INVALID_ARGUMENT.exception(
            argument + " has trailing characters after the JSON value");
      }
      return value;
    } catch (JSONException e) {
      throw PointsError.INVALID_ARGUMENT.exception(
          argument + " is not valid JSON (" + e.getMessage() + ")");
    }
  }

  /** A required pseudonymous id: the composite-key rules of the shim plus a length bound. */
  String id(final String name) {
    return checkId(name, requiredString(name));
  }

  static String checkId(final String name, final String value) {
    if (value == null || value.isEmpty()) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must not be empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw PointsError.INVALID_ARGUMENT.exception(
          name + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (value.codePoints().anyMatch(Fields::forbiddenInId)) {
      throw PointsError.INVALID_ARGUMENT.exception(
          name + " contains a control or reserved character");
    }
    return value;
  }

  private static boolean forbiddenInId(final int codePoint) {
    return Character.isISOControl(codePoint)
        || codePoint == MAX_UNICODE_RUNE
        || Character.getType(codePoint) == Character.SURROGATE;
  }

  /** Required free text such as a reversal reason: printable, line breaks and tabs allowed. */
  String text(final String name, final int maxLength) {
    final String value = requiredString(name);
    if (value.isBlank()) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must not be empty");
    }
    if (value.length() > maxLength) {
      throw PointsError.INVALID_ARGUMENT.exception(
          name + " is longer than " + maxLength + " characters");
    }
    if (value.codePoints().anyMatch(c -> c != '\n' && c != '\t' && forbiddenInId(c))) {
      throw PointsError.INVALID_ARGUMENT.exception(
          name + " contains a control or reserved character");
    }
    return value;
  }

  long positiveLong(final String name) {
    final long value = requiredLong(name);
    if (value <= 0) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must be greater than 0");
    }
    return value;
  }

  long nonNegativeLong(final String name, final long whenAbsent) {
    if (absent(name)) {
      return whenAbsent;
    }
    final long value = requiredLong(name);
    if (value < 0) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must not be negative");
    }
    return value;
  }

  long units(final String name) {
    if (absent(name)) {
      return 1;
    }
    final long value = requiredLong(name);
    if (value < 1 || value > MAX_UNITS) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must be between 1 and " + MAX_UNITS);
    }
    return value;
  }

  boolean bool(final String name, final boolean whenAbsent) {
    if (absent(name)) {
      return whenAbsent;
    }
    if (!(json.get(name) instanceof Boolean value)) {
      throw wrongType(name, "a boolean");
    }
    return value;
  }

  String category(final String name) {
    final String value = requiredString(name);
    try {
      return Category.valueOf(value).name();
    } catch (IllegalArgumentException e) {
      throw PointsError.INVALID_ARGUMENT.exception(
          name + " must be one of " + Arrays.toString(Category.values()));
    }
  }

  /** A strict calendar date, at most one day after the transaction's own date (time zones). */
  String date(final String name, final LocalDate txDate) {
    final String value = requiredString(name);
    final LocalDate date = parseDate(name, value);
    if (date.isAfter(txDate.plusDays(1))) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " " + value + " is in the future");
    }
    return value;
  }

  private static LocalDate parseDate(final String name, final String value) {
    if (!DATE_SHAPE.matcher(value).matches()) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " must be a date YYYY-MM-DD");
    }
    try {
      return LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " " + value + " is not a calendar date");
    }
  }

  private boolean absent(final String name) {
    return !json.has(name) || json.isNull(name);
  }

  private String requiredString(final String name) {
    requirePresent(name);
    if (!(json.get(name) instanceof String value)) {
      throw wrongType(name, "a string");
    }
    return value;
  }

  private long requiredLong(final String name) {
    requirePresent(name);
    final Object value = json.get(name);
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " is out of range");
    }
    if (value instanceof BigDecimal || value instanceof Double || value instanceof Float) {
      throw wrongType(name, "a whole number");
    }
    throw wrongType(name, "a number");
  }

  private void requirePresent(final String name) {
    if (absent(name)) {
      throw PointsError.INVALID_ARGUMENT.exception(name + " is required");
    }
  }

  private RuntimeException wrongType(final String name, final String expected) {
    return PointsError.INVALID_ARGUMENT.exception(name + " must be " + expected);
  }
}
