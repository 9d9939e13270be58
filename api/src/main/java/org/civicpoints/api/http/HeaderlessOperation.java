package org.civicpoints.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.List;
import java.util.Map;

/**
 * An operation without its header parameters, for vertx-openapi's request extraction: it
 * URL-decodes header values (and fails on a lone {@code %}), but headers are not URL-encoded, so
 * {@link RequestValidation} reads them as sent instead.
 */
final class HeaderlessOperation implements Operation {

  private final Operation operation;
  private final List<Parameter> parameters;

  HeaderlessOperation(Operation operation) {
    this.operation = operation;
    this.parameters =
        operation.getParameters().stream()
            .filter(parameter -> parameter.getIn() != Location.HEADER)
            .toList();
  }

  @Override
  public List<Parameter> getParameters() {
    return parameters;
  }

  @Override
  public String getOperationId() {
    return operation.getOperationId();
  }

  @Override
  public HttpMethod getHttpMethod() {
    return operation.getHttpMethod();
  }

  @Override
  public String getOpenAPIPath() {
    return operation.getOpenAPIPath();
  }

  @Override
  public String getAbsoluteOpenAPIPath() {
    return operation.getAbsoluteOpenAPIPath();
  }

  @Override
  public List<String> getTags() {
    return operation.getTags();
  }

  @Override
  public RequestBody getRequestBody() {
    return operation.getRequestBody();
  }

  @Override
  public Response getDefaultResponse() {
    return operation.getDefaultResponse();
  }

  @Override
  public Response getResponse(int statusCode) {
    return operation.getResponse(statusCode);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return operation.getSecurityRequirements();
  }

  @Override
  public JsonObject getOpenAPIModel() {
    return operation.getOpenAPIModel();
  }

  @Override
  public Map<String, Object> getExtensions() {
    return operation.getExtensions();
  }
}
