package org.civicpoints.api.http;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.impl.Utils;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import java.util.Optional;

/**
 * The one class that reaches into Vert.x {@code impl} packages, for three things the public API
 * does not offer: validating each parameter and the body on its own (vertx-openapi's {@code
 * RequestValidatorImpl}), so that a 400 names every offending field where the public validator
 * stops at the first; reading YAML exactly as vertx-openapi reads a contract file ({@code
 * Utils.yamlStringToJson} with its YAML constructor), because the contract is adjusted for the
 * validators before it is parsed; and the Netty channel of an HTTP connection ({@code
 * ConnectionBase}), which {@link RequestHeadTimeout} watches. All are pinned by the Vert.x BOM; an
 * upgrade that changes them breaks here, at compile time, and nowhere else.
 */
final class VertxInternals {

  private final RequestValidatorImpl validator;

  VertxInternals(Vertx vertx, OpenAPIContract contract) {
    this.validator = new RequestValidatorImpl(vertx, contract);
  }

  /** The Netty channel of an HTTP connection; empty for a connection that has none. */
  static Optional<Channel> channel(HttpConnection connection) {
    return connection instanceof ConnectionBase netty
        ? Optional.of(netty.channel())
        : Optional.empty();
  }

  static Future<JsonObject> yamlToJson(String yaml) {
    return Utils.yamlStringToJson(yaml);
  }

  /** A parameter's value exactly as sent, for the validator. */
  static RequestParameter rawParameter(String value) {
    return new RequestParameterImpl(value);
  }

  RequestParameter validateParameter(Parameter parameter, RequestParameter raw)
      throws ValidatorException {
    return validator.validateParameter(parameter, raw);
  }

  RequestParameter validateBody(RequestBody body, ValidatableRequest request) {
    return validator.validateBody(body, request);
  }
}
