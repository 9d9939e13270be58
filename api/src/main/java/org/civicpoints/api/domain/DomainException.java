package org.civicpoints.api.domain;

import java.util.List;
import java.util.Map;

/**
 * A failure with a stable code; the HTTP layer turns it into a problem response. Its detail is a
 * catalogue key "{CODE}.{detailKey}" with named arguments, rendered in the reader's language.
 */
public class DomainException extends RuntimeException {

  private final ErrorCode code;
  private final Text detail;
  private final List<FieldError> fieldErrors;
  private final Map<String, String> members;

  /** Detail from the catalogue entry "{code}.{detailKey}", e.g. NOT_FOUND.submission. */
  public DomainException(ErrorCode code, String detailKey, Map<String, ?> args) {
    this(code, Text.of(code.name() + "." + detailKey, args), List.of());
  }

  public DomainException(ErrorCode code, Text detail, List<FieldError> fieldErrors) {
    this(code, detail, fieldErrors, Map.of());
  }

  /**
   * {@code members} are the problem's extension members (RFC 9457 §3.2), e.g. the id of the object
   * the problem is about.
   */
  public DomainException(
      ErrorCode code, Text detail, List<FieldError> fieldErrors, Map<String, String> members) {
    super(detail.toString(), null, false, false);
    this.code = code;
    this.detail = detail;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.members = Map.copyOf(members);
  }

  /** One field error from the catalogue entry "field.{messageKey}". */
  public static DomainException invalidField(String field, String messageKey, Map<String, ?> args) {
    return invalid(List.of(FieldError.of(field, messageKey, args)));
  }

  /** VALIDATION_FAILED naming every offending field. */
  public static DomainException invalid(List<FieldError> fieldErrors) {
    String fields =
        String.join(", ", fieldErrors.stream().map(FieldError::field).distinct().toList());
    return new DomainException(
        ErrorCode.VALIDATION_FAILED,
        Text.of("VALIDATION_FAILED.fields", Map.of("fields", fields)),
        fieldErrors);
  }

  public static DomainException notFound(String detailKey, Map<String, ?> args) {
    return new DomainException(ErrorCode.NOT_FOUND, detailKey, args);
  }

  public static DomainException forbidden(String detailKey, Map<String, ?> args) {
    return new DomainException(ErrorCode.FORBIDDEN, detailKey, args);
  }

  public ErrorCode code() {
    return code;
  }

  public Text detail() {
    return detail;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  public Map<String, String> members() {
    return members;
  }
}
