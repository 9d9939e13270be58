package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * mobile-contracts/openapi.yaml, as packaged in the jar: its text (served at /openapi.yaml) and the
 * parsed contract the router and validators are built from.
 */
public record Contract(
    OpenAPIContract openApi, Buffer yaml, Map<String, List<String>> requestTypesByOperation) {

  public static final String RESOURCE = "mobile-contracts/openapi.yaml";
  static final String PROBLEM_JSON = "application/problem+json";
  public static final String CSV = "text/csv";
  public static final String XLSX =
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  public static final String JPEG = "image/jpeg";
  public static final String ZIP = "application/zip";

  /** File media types of the contract and the supported type the validators' copy names them by. */
  public static final Map<String, String> VALIDATED_FILE_TYPES =
      Map.of(
          CSV,
          "text/plain",
          XLSX,
          "application/octet-stream",
          // Evidence photos: read from the raw body and sniffed, whatever the header says.
          JPEG,
          "application/octet-stream",
          "image/png",
          "application/octet-stream",
          "image/webp",
          "application/octet-stream",
          // Service certificates: the PDF, and the verification page the QR code opens.
          "application/pdf",
          "application/octet-stream",
          "text/html",
          "text/plain",
          // Data exports (personal-data rights).
          ZIP,
          "application/octet-stream");

  public static Future<Contract> load(Vertx vertx) {
    return vertx
        .executeBlocking(Contract::readResource)
        .compose(
            yaml ->
                VertxInternals.yamlToJson(yaml.toString())
                    .compose(
                        json ->
                            OpenAPIContract.from(vertx, forValidator(json))
                                .map(openApi -> new Contract(openApi, yaml, requestTypes(json)))));
  }

  /** The media types the contract lists for an operation's request body (none without one). */
  public List<String> requestTypes(String operationId) {
    return requestTypesByOperation.getOrDefault(operationId, List.of());
  }

  /** From the contract as served: the validators' copy renames file types (see below). */
  private static Map<String, List<String>> requestTypes(JsonObject contract) {
    Map<String, List<String>> types = new HashMap<>();
    JsonObject paths = contract.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject operation
            && operation.getJsonObject("requestBody") != null) {
          types.put(
              operation.getString("operationId"),
              List.copyOf(
                  operation
                      .getJsonObject("requestBody")
                      .getJsonObject("content", new JsonObject())
                      .fieldNames()));
        }
      }
    }
    return Map.copyOf(types);
  }

  private static Buffer readResource() {
    try (InputStream in = Contract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /**
   * vertx-openapi 5.0 refuses media types outside its list, application/problem+json among them
   * (MediaType.SUPPORTED_MEDIA_TYPES). The served contract keeps problem+json; the copy the
   * validators read calls it application/json, which is the same JSON for a schema validator.
   */
  public static JsonObject forValidator(JsonObject contract) {
    JsonObject copy = contract.copy();
    renameProblemMediaType(copy);
    return copy;
  }

  private static void renameProblemMediaType(Object node) {
    if (node instanceof JsonObject object) {
      if (object.containsKey(PROBLEM_JSON) && !object.containsKey("application/json")) {
        object.put("application/json", object.remove(PROBLEM_JSON));
      }
      // Leaderboard exports: binary bodies either way, under names vertx-openapi accepts.
      // Several file types may share one validated name (evidence photos): the first is kept.
      VALIDATED_FILE_TYPES.forEach(
          (served, validated) -> {
            if (object.containsKey(served)) {
              Object media = object.remove(served);
              if (!object.containsKey(validated)) {
                object.put(validated, media);
              }
            }
          });
      object.forEach(entry -> renameProblemMediaType(entry.getValue()));
    } else if (node instanceof JsonArray array) {
      array.forEach(Contract::renameProblemMediaType);
    }
  }
}
