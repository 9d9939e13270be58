package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.impl.Utils;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;

/**
 * The one class that reaches into vertx-openapi's {@code impl} packages, for two things its public
 * API does not offer: validating each parameter and the body on its own ({@code
 * RequestValidatorImpl}), so that a 400 names every offending field where the public validator
 * stops at the first; and reading YAML exactly as vertx-openapi reads a contract file ({@code
 * Utils.yamlStringToJson} with its YAML constructor), because the contract is adjusted for the
 * validators before it is parsed. Both are pinned by the Vert.x BOM; an upgrade that changes them
 * breaks here, at compile time, and nowhere else.
 */
final class OpenApiInternals {

  private final RequestValidatorImpl validator;

  OpenApiInternals(Vertx vertx, OpenAPIContract contract) {
    this.validator = new RequestValidatorImpl(vertx, contract);
  }

  static Future<JsonObject> yamlToJson(String yaml) {
    return Utils.yamlStringToJson(yaml);
  }

  RequestParameter validateParameter(Parameter parameter, RequestParameter raw)
      throws ValidatorException {
    return validator.validateParameter(parameter, raw);
  }

  RequestParameter validateBody(RequestBody body, ValidatableRequest request) {
    return validator.validateBody(body, request);
  }
}
