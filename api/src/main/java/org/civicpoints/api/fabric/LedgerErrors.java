package org.civicpoints.api.fabric;

import io.grpc.StatusRuntimeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.domain.LedgerFailure.Kind;
import org.civicpoints.api.port.Ledger.AwardStatus;
import org.hyperledger.fabric.client.CommitException;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.protos.gateway.ErrorDetail;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Classifies gateway failures by exception type, gRPC status code and transaction validation code.
 * The one place in the API where text from the ledger is read: the peer forwards a chaincode
 * error's message but not its payload, so the code is taken from the error detail's fixed shape
 * "chaincode response 500, CODE: detail" (and from an award's reason "CODE: detail" when a
 * chaincode older than the award result's {@code code} field answers).
 */
final class LedgerErrors {

  private static final Pattern CHAINCODE_CODE =
      Pattern.compile("chaincode response \\d+, ([A-Z][A-Z_]*):");
  private static final Pattern REASON_CODE = Pattern.compile("([A-Z][A-Z_]*):");

  private LedgerErrors() {}

  static LedgerFailure classify(Throwable failure) {
    if (failure instanceof LedgerFailure classified) {
      return classified;
    }
    if (failure instanceof EndorseException endorse) {
      return chaincodeCode(endorse)
          .map(
              code ->
                  new LedgerFailure(
                      Kind.REJECTED, code, "the chaincode refused the transaction: " + code))
          .orElseGet(() -> retryable(endorse.getStatus()));
    }
    if (failure instanceof GatewayException gateway) {
      // Evaluations that the chaincode refused carry the same detail as endorsements.
      Optional<String> code = chaincodeCode(gateway);
      if (code.isPresent()) {
        return new LedgerFailure(
            Kind.REJECTED, code.get(), "the chaincode refused the query: " + code.get());
      }
      // SubmitException, CommitStatusException and plain unavailability: the outcome is unknown or
      // nothing was written; the same entryIds go again (a repeat is DUPLICATE on chain).
      return retryable(gateway.getStatus());
    }
    if (failure instanceof CommitException commit) {
      return invalid(commit.getTransactionId(), commit.getCode());
    }
    if (failure instanceof GatewayRuntimeException stream) {
      return retryable(stream.getStatus());
    }
    if (failure instanceof StatusRuntimeException grpc) {
      return retryable(grpc.getStatus());
    }
    return new LedgerFailure(
        Kind.INVALID,
        failure.getClass().getSimpleName(),
        "unexpected ledger failure: " + failure.getClass().getName());
  }

  /**
   * The chaincode's code for a refused award (CONFLICT or REJECTED): its {@code code} field, else
   * the code its reason starts with, else the status; null for a RECORDED or DUPLICATE award.
   */
  static String awardCode(AwardStatus status, JsonObject result) {
    if (status == AwardStatus.RECORDED || status == AwardStatus.DUPLICATE) {
      return null;
    }
    String code = result.getString("code");
    if (code != null) {
      return code;
    }
    Matcher reason = REASON_CODE.matcher(result.getString("reason", ""));
    return reason.lookingAt() ? reason.group(1) : status.name();
  }

  /** A transaction the peer committed as invalid. */
  static LedgerFailure invalid(String txId, TxValidationCode code) {
    Kind kind =
        code == TxValidationCode.MVCC_READ_CONFLICT
                || code == TxValidationCode.PHANTOM_READ_CONFLICT
            ? Kind.CONFLICT
            : Kind.INVALID;
    return new LedgerFailure(
        kind, code.name(), "transaction " + txId + " committed invalid: " + code.name());
  }

  private static LedgerFailure retryable(io.grpc.Status status) {
    return new LedgerFailure(
        Kind.RETRYABLE, status.getCode().name(), "the ledger is unreachable: " + status.getCode());
  }

  private static Optional<String> chaincodeCode(GatewayException failure) {
    for (ErrorDetail detail : failure.getDetails()) {
      Matcher matcher = CHAINCODE_CODE.matcher(detail.getMessage());
      if (matcher.find()) {
        return Optional.of(matcher.group(1));
      }
    }
    return Optional.empty();
  }
}
