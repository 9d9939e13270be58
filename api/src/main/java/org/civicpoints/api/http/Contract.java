package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.impl.Utils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * mobile-contracts/openapi.yaml, as packaged in the jar: its text (served at /openapi.yaml) and
 * the parsed contract the router and validators are built from.
 */
public record Contract(OpenAPIContract openApi, Buffer yaml) {

  public static final String RESOURCE = "mobile-contracts/openapi.yaml";
  static final String PROBLEM_JSON = "application/problem+json";

  public static Future<Contract> load(Vertx vertx) {
    return vertx.executeBlocking(Contract::readResource).compose(yaml -> Utils.yamlStringToJson(yaml.toString())
        .compose(json -> OpenAPIContract.from(vertx, forValidator(json)))
        .map(openApi -> new Contract(openApi, yaml)));
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
      object.forEach(entry -> renameProblemMediaType(entry.getValue()));
    } else if (node instanceof JsonArray array) {
      array.forEach(Contract::renameProblemMediaType);
    }
  }
}
