package org.civicpoints.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every example in the contract is an instance of its schema, and every operation is documented.
 */
class ContractExamplesTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = Contract.load(vertx).await().openApi();
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void every_example_matches_its_schema() {
    List<String> checked = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      if (operation.getRequestBody() != null) {
        checkExamples(
            operation.getOperationId() + " request",
            operation.getRequestBody().getContent(),
            checked,
            invalid);
      }
      for (String status : operation.getOpenAPIModel().getJsonObject("responses").fieldNames()) {
        if (!status.equals("default") && !status.matches("[1-5][0-9][0-9]")) {
          continue;
        }
        Response response =
            status.equals("default")
                ? operation.getDefaultResponse()
                : operation.getResponse(Integer.parseInt(status));
        checkExamples(
            operation.getOperationId() + " " + status, response.getContent(), checked, invalid);
      }
    }
    assertThat(invalid).isEmpty();
    assertThat(checked).hasSizeGreaterThan(contract.operations().size());
  }

  @Test
  void every_operation_has_a_tag_a_summary_and_declared_errors() {
    for (Operation operation : contract.operations()) {
      JsonObject model = operation.getOpenAPIModel();
      assertThat(operation.getTags()).as(operation.getOperationId()).hasSize(1);
      assertThat(model.getString("summary")).as(operation.getOperationId()).isNotBlank();
      assertThat(operation.getDefaultResponse())
          .as(operation.getOperationId() + " default problem")
          .isNotNull();
    }
  }

  /**
   * The resolver marks every object it copied with "__absolute_uri__"; examples must be judged
   * without it.
   */
  private static Object withoutAnnotations(Object node) {
    if (node instanceof JsonObject object) {
      JsonObject clean = new JsonObject();
      object.forEach(
          e -> {
            if (!e.getKey().equals("__absolute_uri__")) {
              clean.put(e.getKey(), withoutAnnotations(e.getValue()));
            }
          });
      return clean;
    }
    if (node instanceof io.vertx.core.json.JsonArray array) {
      io.vertx.core.json.JsonArray clean = new io.vertx.core.json.JsonArray();
      array.forEach(item -> clean.add(withoutAnnotations(item)));
      return clean;
    }
    return node;
  }

  private static void checkExamples(
      String where, Map<String, MediaType> content, List<String> checked, List<String> invalid) {
    content.forEach(
        (type, mediaType) -> {
          JsonObject examples =
              mediaType.getOpenAPIModel().getJsonObject("examples", new JsonObject());
          boolean opaque = "binary".equals(mediaType.getSchema().get("format"));
          for (String name : examples.fieldNames()) {
            // The resolved contract carries annotations (e.g. "__absolute_uri__") beside the
            // examples.
            if (opaque || !(examples.getValue(name) instanceof JsonObject example)) {
              continue;
            }
            Object value = withoutAnnotations(example.getValue("value"));
            OutputUnit result =
                contract.getSchemaRepository().validator(mediaType.getSchema()).validate(value);
            checked.add(where + " " + name);
            if (!result.getValid()) {
              invalid.add(where + " example " + name + ": " + result.getErrors());
            }
          }
        });
  }
}
