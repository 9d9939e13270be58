package org.civicpoints.api.domain;

import java.util.List;

/** A failure with a stable code; the HTTP layer turns it into a problem response. */
public class DomainException extends RuntimeException {

  private final ErrorCode code;
  private final List<FieldError> fieldErrors;

  public DomainException(ErrorCode code, String detail) {
    this(code, detail, List.of());
  }

  public DomainException(ErrorCode code, String detail, List<FieldError> fieldErrors) {
    super(detail, null, false, false);
    this.code = code;
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  public static DomainException invalidField(String field, String message) {
    return new DomainException(
        ErrorCode.VALIDATION_FAILED,
        "The request is invalid: " + field,
        List.of(new FieldError(field, message)));
  }

  public static DomainException notFound(String detail) {
    return new DomainException(ErrorCode.NOT_FOUND, detail);
  }

  public static DomainException forbidden(String detail) {
    return new DomainException(ErrorCode.FORBIDDEN, detail);
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }
}
