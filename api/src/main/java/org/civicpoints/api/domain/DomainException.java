package org.civicpoints.api.domain;

import java.util.List;
import java.util.Map;

/** A failure with a stable code; the HTTP layer turns it into a problem response. */
public class DomainException extends RuntimeException {

  private final ErrorCode code;
  private final List<FieldError> fieldErrors;
  private final Map<String, String> members;

  public DomainException(ErrorCode code, String detail) {
    this(code, detail, List.of());
  }

  public DomainException(ErrorCode code, String detail, List<FieldError> fieldErrors) {
    this(code, detail, fieldErrors, Map.of());
  }

  /**
   * {@code members} are the problem's extension members (RFC 9457 §3.2), e.g. the id of the object
   * the problem is about.
   */
  public DomainException(
      ErrorCode code, String detail, List<FieldError> fieldErrors, Map<String, String> members) {
    super(detail, null, false, false);
    this.code = code;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.members = Map.copyOf(members);
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

  public Map<String, String> members() {
    return members;
  }
}
