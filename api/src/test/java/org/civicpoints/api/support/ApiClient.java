package org.civicpoints.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.HashMap;
import java.util.Map;
import org.civicpoints.api.http.Contract;

/**
 * Calls the API over HTTP and validates every response it receives against the contract: the
 * operation's declared response (status, headers, body schema), and for errors the Problem schema,
 * the problem+json media type and the trace id.
 */
public final class ApiClient implements AutoCloseable {

  private static final String PROBLEM_JSON = "application/problem+json";

  private final WebClient web;
  private final OpenAPIContract contract;
  private final ResponseValidator responses;
  private final Validator problemSchema;

  private ApiClient(
      WebClient web,
      OpenAPIContract contract,
      ResponseValidator responses,
      Validator problemSchema) {
    this.web = web;
    this.contract = contract;
    this.responses = responses;
    this.problemSchema = problemSchema;
  }

  public static ApiClient create(Vertx vertx, int port) {
    // Redirects are answers to check (a signed photo URL), not to follow off this machine.
    WebClient web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setFollowRedirects(false));
    OpenAPIContract contract = Contract.load(vertx).await().openApi();
    JsonObject problem =
        contract
            .getRawContract()
            .getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject("Problem");
    Validator problemSchema =
        Validator.create(
            JsonSchema.of(problem),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://civic-points.test/"));
    return new ApiClient(web, contract, ResponseValidator.create(vertx, contract), problemSchema);
  }

  public record Reply(int status, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
    }

    public String code() {
      return json().getString("code");
    }

    public String header(String name) {
      return headers.get(name);
    }
  }

  public Reply get(String operationId, String uri, String token) {
    return send(operationId, HttpMethod.GET, uri, null, token);
  }

  public Reply post(String operationId, String uri, Object body, String token) {
    return send(operationId, HttpMethod.POST, uri, body, token);
  }

  public Reply patch(String operationId, String uri, Object body, String token) {
    return send(operationId, HttpMethod.PATCH, uri, body, token);
  }

  public Reply delete(String operationId, String uri, String token) {
    return send(operationId, HttpMethod.DELETE, uri, null, token);
  }

  public Reply send(String operationId, HttpMethod method, String uri, Object body, String token) {
    return send(operationId, method, uri, body, token, Map.of());
  }

  /** With more headers, e.g. {@code Accept-Language}. */
  public Reply send(
      String operationId,
      HttpMethod method,
      String uri,
      Object body,
      String token,
      Map<String, String> extraHeaders) {
    Map<String, String> headers = new HashMap<>(extraHeaders);
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    Buffer raw = null;
    if (body != null) {
      headers.put("Content-Type", "application/json");
      raw = Buffer.buffer(Json.encode(body));
    }
    return sendRaw(operationId, method, uri, raw, headers);
  }

  /**
   * Sends exactly these bytes and headers; {@code operationId} null for paths outside the contract.
   */
  public Reply sendRaw(
      String operationId, HttpMethod method, String uri, Buffer body, Map<String, String> headers) {
    HttpRequest<Buffer> request = web.request(method, uri);
    headers.forEach(request::putHeader);
    HttpResponse<Buffer> response =
        (body == null ? request.send() : request.sendBuffer(body)).await();
    Reply reply = new Reply(response.statusCode(), response.headers(), response.body());
    validate(operationId, reply);
    return reply;
  }

  /**
   * For the two routes outside the contract (/openapi.yaml, /docs): no contract to validate
   * against.
   */
  public Reply fetchDocument(String uri) {
    return fetchDocument(uri, Map.of());
  }

  /** As {@link #fetchDocument(String)}, with request headers. */
  public Reply fetchDocument(String uri, Map<String, String> headers) {
    HttpRequest<Buffer> request = web.get(uri);
    headers.forEach(request::putHeader);
    HttpResponse<Buffer> response = request.send().await();
    return new Reply(response.statusCode(), response.headers(), response.body());
  }

  /** Public so a test can prove the check fails on a response the contract does not describe. */
  public void validate(String operationId, Reply reply) {
    String contentType = reply.header("Content-Type");
    assertThat(reply.header("X-Trace-Id"))
        .as("every response has a trace id")
        .matches("[0-9a-f]{32}");
    if (reply.status() >= 400 && declaredAsProblem(operationId, reply.status())) {
      assertThat(contentType).as("errors are problems").isEqualTo(PROBLEM_JSON);
      OutputUnit result = problemSchema.validate(reply.json());
      assertThat(result.getValid())
          .as("problem matches the Problem schema: %s", result.getErrors())
          .isTrue();
      assertThat(reply.json().getString("traceId")).isEqualTo(reply.header("X-Trace-Id"));
      assertThat(reply.json().getInteger("status")).isEqualTo(reply.status());
    }
    if (operationId == null) {
      assertThat(reply.status())
          .as("only errors come from outside the contract")
          .isGreaterThanOrEqualTo(400);
      return;
    }
    Operation operation = contract.operation(operationId);
    assertThat(operation).as("operation %s is in the contract", operationId).isNotNull();
    assertThat(
            operation.getResponse(reply.status()) != null || operation.getDefaultResponse() != null)
        .as("status %s is declared for %s", reply.status(), operationId)
        .isTrue();
    Map<String, String> headers = new HashMap<>();
    reply.headers().forEach(entry -> headers.put(entry.getKey(), entry.getValue()));
    // The response validator looks media types up by exact name: compare the essence (no
    // parameters), and its copy of the contract calls problem+json application/json (see Contract).
    String essence = contentType == null ? null : contentType.split(";")[0].trim();
    String validatedType =
        PROBLEM_JSON.equals(essence)
            ? "application/json"
            : essence == null ? null : Contract.VALIDATED_FILE_TYPES.getOrDefault(essence, essence);
    ValidatableResponse response =
        reply.body() == null || reply.body().length() == 0
            ? ValidatableResponse.create(reply.status(), headers)
            : ValidatableResponse.create(reply.status(), headers, reply.body(), validatedType);
    responses.validate(response, operationId).await();
  }

  /**
   * Errors are problems, except where the contract declares another body (readiness 503 is a
   * Health).
   */
  private boolean declaredAsProblem(String operationId, int status) {
    Operation operation = operationId == null ? null : contract.operation(operationId);
    if (operation == null) {
      return true;
    }
    Response response =
        operation.getResponse(status) != null
            ? operation.getResponse(status)
            : operation.getDefaultResponse();
    MediaType json = response == null ? null : response.getContent().get("application/json");
    Object properties =
        json == null || json.getSchema() == null ? null : json.getSchema().get("properties");
    return !(properties instanceof JsonObject declared) || declared.containsKey("traceId");
  }

  @Override
  public void close() {
    web.close();
  }
}
