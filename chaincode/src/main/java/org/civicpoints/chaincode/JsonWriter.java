package org.civicpoints.chaincode;

import java.util.List;
import org.json.JSONObject;

/**
 * Writes JSON with fields in the order they are added.
 *
 * <p>World-state values and events must be byte-identical on every endorsing peer, so the contract
 * never relies on a hash map's iteration order to serialise them.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder("{");
  private boolean first = true;

  static JsonWriter object() {
    return new JsonWriter();
  }

  JsonWriter put(final String name, final String value) {
    return raw(name, value == null ? "null" : JSONObject.quote(value));
  }

  JsonWriter put(final String name, final long value) {
    return raw(name, Long.toString(value));
  }

  JsonWriter put(final String name, final boolean value) {
    return raw(name, Boolean.toString(value));
  }

  JsonWriter put(final String name, final JsonWriter value) {
    return raw(name, value.toString());
  }

  /** A value that is already JSON text. */
  JsonWriter putJson(final String name, final String json) {
    return raw(name, json);
  }

  /** An array of values that are already JSON text. */
  JsonWriter putArray(final String name, final List<String> jsonValues) {
    return raw(name, array(jsonValues));
  }

  static String array(final List<String> jsonValues) {
    return "[" + String.join(",", jsonValues) + "]";
  }

  private JsonWriter raw(final String name, final String json) {
    if (!first) {
      out.append(',');
    }
    first = false;
    out.append(JSONObject.quote(name)).append(':').append(json);
    return this;
  }

  @Override
  public String toString() {
    return out + "}";
  }
}
