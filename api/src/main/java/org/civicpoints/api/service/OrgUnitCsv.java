package org.civicpoints.api.service;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.Text;

/**
 * Reads an org-unit CSV: UTF-8 with or without a byte order mark, the header {@code
 * code,kind,name,parentCode}, then one unit a line (LF or CRLF; blank lines skipped). A field may
 * be quoted ("..." with "" for a quote) to hold a comma; a field never spans lines. Every line that
 * cannot be read is reported by its number, so a file is judged whole.
 */
public final class OrgUnitCsv {

  static final String HEADER = "code,kind,name,parentCode";
  private static final int COLUMNS = 4;
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private OrgUnitCsv() {}

  record Row(int line, String code, String kind, String name, String parentCode) {}

  /** What is wrong with one line, rendered in the reader's language ("orgImport.*" texts). */
  public record LineError(int line, Text message) {

    static LineError of(int line, String key, Map<String, ?> args) {
      return new LineError(line, Text.of("orgImport." + key, args));
    }
  }

  record Parsed(List<Row> rows, List<LineError> errors) {}

  static Parsed parse(byte[] bytes) {
    List<Row> rows = new ArrayList<>();
    List<LineError> errors = new ArrayList<>();
    List<byte[]> lines = lines(withoutBom(bytes));
    String header = lines.isEmpty() ? null : text(lines.get(0));
    if (header == null || !HEADER.equalsIgnoreCase(header.strip())) {
      errors.add(LineError.of(1, "header", Map.of("header", HEADER)));
      return new Parsed(rows, errors);
    }
    for (int i = 1; i < lines.size(); i++) {
      read(i + 1, lines.get(i), rows, errors);
    }
    return new Parsed(rows, errors);
  }

  private static void read(int line, byte[] bytes, List<Row> rows, List<LineError> errors) {
    String text = text(bytes);
    if (text == null) {
      errors.add(LineError.of(line, "notUtf8", Map.of()));
      return;
    }
    if (text.isBlank()) {
      return;
    }
    List<String> fields = fields(text);
    if (fields == null) {
      errors.add(LineError.of(line, "openQuote", Map.of()));
    } else if (fields.size() != COLUMNS) {
      errors.add(
          LineError.of(
              line,
              "fieldCount",
              Map.of("fields", fields.size(), "header", HEADER, "columns", COLUMNS)));
    } else {
      rows.add(new Row(line, fields.get(0), fields.get(1), fields.get(2), fields.get(3)));
    }
  }

  /** The fields of one line, stripped; null when a quote is left open. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        field.append('"');
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return quoted ? null : fields;
  }

  private static byte[] withoutBom(byte[] bytes) {
    boolean bom =
        bytes.length >= 3 && bytes[0] == BOM[0] && bytes[1] == BOM[1] && bytes[2] == BOM[2];
    return bom ? Arrays.copyOfRange(bytes, 3, bytes.length) : bytes;
  }

  /** Lines split on LF, a CR before it dropped; a final line without LF counts. */
  private static List<byte[]> lines(byte[] bytes) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        if (i < bytes.length || end > start) {
          lines.add(Arrays.copyOfRange(bytes, start, end));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  /** Strict UTF-8: null for bytes that are not. */
  private static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
