package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.FieldError;
import org.civicpoints.api.domain.Text;

/**
 * Validates one operation's input against the contract and hands the handler only validated values.
 * Each parameter and the body are checked separately with vertx-openapi's validators so that a 400
 * names every offending field, not just the first.
 */
final class RequestValidation implements Handler<RoutingContext> {

  private static final Text UNKNOWN_FIELD = Text.of("field.unknown");
  private static final Text REQUIRED = Text.of("field.required");

  /**
   * Keywords whose message names the schema's value ("at most 200 characters"), as the placeholder
   * of the keyword's own name.
   */
  private static final Set<String> VALUED_KEYWORDS =
      Set.of(
          "pattern",
          "format",
          "minLength",
          "maxLength",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "minItems",
          "maxItems",
          "minProperties",
          "maxProperties");

  /**
   * JSON Schema keywords whose failure the catalogue words itself ("field.schema.{keyword}"): the
   * valued ones and these; the validator's English message stays for any other keyword.
   */
  private static final Set<String> WORDED_KEYWORDS =
      Stream.concat(VALUED_KEYWORDS.stream(), Stream.of("type", "enum", "const", "uniqueItems"))
          .collect(Collectors.toUnmodifiableSet());

  private final VertxInternals validator;
  private final Operation operation;
  private final Operation headerless;
  private final List<String> requestTypes;

  /** {@code requestTypes}: the media types the contract lists for the operation's body. */
  RequestValidation(VertxInternals validator, Operation operation, List<String> requestTypes) {
    this.validator = validator;
    this.operation = operation;
    this.requestTypes = List.copyOf(requestTypes);
    this.headerless = new HeaderlessOperation(operation);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (operation.getRequestBody() != null && body != null && body.length() > 0) {
      String contentType = ctx.request().getHeader("Content-Type");
      if (contentType == null || !accepts(contentType)) {
        ctx.fail(
            new DomainException(
                ErrorCode.UNSUPPORTED_MEDIA_TYPE, "types", Map.of("types", servedTypes())));
        return;
      }
      if (!isFile(contentType) && !isJson(body)) {
        ctx.fail(new DomainException(ErrorCode.MALFORMED_JSON, "body", Map.of()));
        return;
      }
    }
    Map<String, RequestParameter> headers = headersAsSent(ctx);
    RequestUtils.extract(ctx.request(), headerless, () -> Future.succeededFuture(body))
        .compose(request -> ctx.vertx().executeBlocking(() -> validate(request, headers), false))
        .onSuccess(
            input -> {
              input.attachTo(ctx);
              ctx.next();
            })
        .onFailure(ctx::fail);
  }

  /**
   * File bodies (an org-unit CSV) are read by their handler from the raw body; the validators' copy
   * of the contract names their media type as {@link Contract#VALIDATED_FILE_TYPES} says.
   */
  private static boolean isFile(String contentType) {
    return contentType != null && Contract.VALIDATED_FILE_TYPES.containsKey(essence(contentType));
  }

  /**
   * A file type by the contract's own list for the operation (the validators' copy names several
   * file types alike); JSON by the validators, which accept its variants (charset …).
   */
  private boolean accepts(String contentType) {
    if (isFile(contentType)) {
      return requestTypes.contains(essence(contentType));
    }
    return requestTypes.stream().anyMatch(type -> !Contract.VALIDATED_FILE_TYPES.containsKey(type))
        && operation.getRequestBody().determineContentType(contentType) != null;
  }

  private static String essence(String contentType) {
    return contentType.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
  }

  private String servedTypes() {
    return String.join(" or ", requestTypes.stream().sorted().toList());
  }

  /**
   * The operation's header parameters exactly as sent. vertx-openapi's extraction URL-decodes
   * header values ("a+b" would become "a b" and fail the pattern, "a%2Bb" would pass as "a+b"), but
   * a header is not URL-encoded: an Idempotency-Key must be validated and used byte for byte.
   */
  private Map<String, RequestParameter> headersAsSent(RoutingContext ctx) {
    Map<String, RequestParameter> headers = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.HEADER) {
        headers.put(
            parameter.getName(),
            VertxInternals.rawParameter(ctx.request().getHeader(parameter.getName())));
      }
    }
    return headers;
  }

  private static boolean isJson(Buffer body) {
    try {
      Json.decodeValue(body);
      return true;
    } catch (DecodeException notJson) {
      return false;
    }
  }

  private ValidInput validate(ValidatableRequest request, Map<String, RequestParameter> headers) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> query = new HashMap<>();
    Map<String, Object> path = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      String location = parameter.getIn().name().toLowerCase();
      RequestParameter raw =
          switch (parameter.getIn()) {
            case QUERY -> request.getQuery().get(parameter.getName());
            case PATH -> request.getPathParameters().get(parameter.getName());
            case HEADER -> headers.get(parameter.getName());
            case COOKIE -> request.getCookies().get(parameter.getName());
          };
      try {
        Object value = validator.validateParameter(parameter, raw).get();
        // Handlers read path and query values; header and cookie parameters are only checked.
        if (parameter.getIn() == Location.PATH) {
          path.put(parameter.getName(), value);
        } else if (parameter.getIn() == Location.QUERY) {
          query.put(parameter.getName(), value);
        }
      } catch (ValidatorException invalid) {
        errors.add(
            new FieldError(
                location + "." + parameter.getName(),
                parameterMessage(invalid, parameter.getSchema())));
      }
    }
    JsonObject body = validateBody(request, errors);
    if (!errors.isEmpty()) {
      throw DomainException.invalid(errors);
    }
    return new ValidInput(query, path, body);
  }

  private JsonObject validateBody(ValidatableRequest request, List<FieldError> errors) {
    if (operation.getRequestBody() == null || isFile(request.getContentType())) {
      return null;
    }
    try {
      Object body = validator.validateBody(operation.getRequestBody(), request).get();
      return body instanceof JsonObject object ? object : null;
    } catch (SchemaValidationException invalid) {
      errors.addAll(bodyErrors(invalid.getOutputUnit(), request));
    } catch (ValidatorException invalid) {
      errors.add(
          new FieldError(
              "body",
              invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
                  ? REQUIRED
                  : Text.of("field.notJson")));
    }
    return null;
  }

  private static Text parameterMessage(ValidatorException invalid, JsonSchema parameterSchema) {
    if (invalid instanceof SchemaValidationException schema) {
      OutputUnit unit = schema.getOutputUnit();
      List<OutputUnit> leaves = unit.getErrors();
      return schemaMessage(
          leaves == null || leaves.isEmpty() ? unit : leaves.get(leaves.size() - 1),
          parameterSchema);
    }
    return invalid.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
        ? REQUIRED
        : Text.of("field.invalidFormat");
  }

  /**
   * The catalogue's words for the failed keyword, with the limit it sets read from {@code schema}
   * (the one validated, references resolved), else the validator's own words (English).
   */
  private static Text schemaMessage(OutputUnit unit, JsonSchema schema) {
    String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    String keyword = location.substring(location.lastIndexOf('/') + 1);
    if (!WORDED_KEYWORDS.contains(keyword)) {
      return Text.literal(unit.getError());
    }
    if (!VALUED_KEYWORDS.contains(keyword)) {
      return Text.of("field.schema." + keyword);
    }
    return keywordValue(schema, location)
        .map(value -> Text.of("field.schema." + keyword, Map.of(keyword, value)))
        .orElseGet(() -> Text.literal(unit.getError()));
  }

  /** The value at a keyword location ("#/properties/name/maxLength") of {@code schema}. */
  private static Optional<Object> keywordValue(JsonSchema schema, String location) {
    String[] steps = location.replaceFirst("^#?/", "").split("/");
    Object node = schema == null ? null : schema.get(unescaped(steps[0]));
    for (int i = 1; i < steps.length && node != null; i++) {
      String step = unescaped(steps[i]);
      if (node instanceof JsonObject object) {
        node = object.getValue(step);
      } else if (node instanceof JsonArray array && step.matches("\\d{1,9}")) {
        int index = Integer.parseInt(step);
        node = index < array.size() ? array.getValue(index) : null;
      } else {
        node = null;
      }
    }
    return Optional.ofNullable(node);
  }

  /** A JSON pointer step, "~1" and "~0" read back as "/" and "~". */
  private static String unescaped(String step) {
    return step.replace("~1", "/").replace("~0", "~");
  }

  /**
   * One error per field: unknown fields first (mass assignment must be named), then missing
   * required fields, then the first schema error of every other field. Unknown and missing are read
   * from the body schema itself, so a known field with a bad value is never called unknown.
   */
  private List<FieldError> bodyErrors(OutputUnit result, ValidatableRequest request) {
    Map<String, Text> byField = new LinkedHashMap<>();
    JsonSchema schema = bodySchema(request);
    Object body =
        request.getBody() == null
            ? null
            : Json.decodeValue(request.getBody().getBuffer(Buffer.buffer()));
    if (schema != null && body instanceof JsonObject object) {
      unknownFields(schema, object).forEach(name -> byField.put(name, UNKNOWN_FIELD));
      missingRequiredFields(schema, object).forEach(name -> byField.put(name, REQUIRED));
    }
    List<OutputUnit> units = result.getErrors() == null ? List.of(result) : result.getErrors();
    // Leaf errors ("String is too short") say more than their wrappers ("does not match schema").
    Map<String, Text> leaves = new LinkedHashMap<>();
    Map<String, Text> wrappers = new LinkedHashMap<>();
    for (OutputUnit unit : units) {
      String keyword = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
      boolean coveredAbove =
          keyword.endsWith("/required") || keyword.endsWith("/additionalProperties");
      if (!coveredAbove && !isInsideReported(unit.getInstanceLocation(), byField)) {
        boolean wrapper =
            keyword.endsWith("/properties")
                || keyword.endsWith("/items")
                || keyword.endsWith("/$ref");
        (wrapper ? wrappers : leaves)
            .putIfAbsent(field(unit.getInstanceLocation()), schemaMessage(unit, schema));
      }
    }
    leaves.forEach(byField::putIfAbsent);
    wrappers.forEach(
        (field, message) -> {
          boolean explainedByLeaf =
              byField.keySet().stream().anyMatch(f -> f.equals(field) || f.startsWith(field + "."));
          if (!explainedByLeaf) {
            byField.put(field, message);
          }
        });
    if (byField.isEmpty()) {
      byField.put(
          "body",
          result.getError() == null ? Text.of("field.notContract") : schemaMessage(result, schema));
    }
    return byField.entrySet().stream().map(e -> new FieldError(e.getKey(), e.getValue())).toList();
  }

  private JsonSchema bodySchema(ValidatableRequest request) {
    MediaType json = operation.getRequestBody().determineContentType(request.getContentType());
    return json == null ? null : json.getSchema();
  }

  private static List<String> unknownFields(JsonSchema schema, JsonObject body) {
    if (!Boolean.FALSE.equals(schema.get("additionalProperties"))) {
      return List.of();
    }
    Object properties = schema.get("properties");
    JsonObject declared = properties instanceof JsonObject object ? object : new JsonObject();
    return body.fieldNames().stream().filter(name -> !declared.containsKey(name)).sorted().toList();
  }

  private static List<String> missingRequiredFields(JsonSchema schema, JsonObject body) {
    Object required = schema.get("required");
    if (!(required instanceof JsonArray names)) {
      return List.of();
    }
    return names.stream().map(String::valueOf).filter(name -> !body.containsKey(name)).toList();
  }

  /** A field already reported as unknown or missing does not also get its nested errors. */
  private static boolean isInsideReported(String instanceLocation, Map<String, Text> byField) {
    String field = field(instanceLocation);
    return byField.keySet().stream()
        .anyMatch(reported -> field.equals(reported) || field.startsWith(reported + "."));
  }

  /** "#/roles/0" (a JSON pointer fragment) becomes "roles.0"; the document root is "body". */
  private static String field(String instanceLocation) {
    String path = instanceLocation == null ? "" : instanceLocation;
    path = path.startsWith("#") ? path.substring(1) : path;
    path = path.startsWith("/") ? path.substring(1) : path;
    if (path.isEmpty()) {
      return "body";
    }
    return path.replace('/', '.').replace("~1", "/").replace("~0", "~");
  }
}
