package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.SubmissionStatus;
import org.civicpoints.api.service.ApprovalService;
import org.civicpoints.api.service.SubmissionService;

/** Tag "Approvals": staff queues, approvals, rejections, batch approvals and reversals. */
public final class ApprovalHandlers {

  private final ApprovalService approvals;
  private final SubmissionService submissions;

  public ApprovalHandlers(ApprovalService approvals, SubmissionService submissions) {
    this.approvals = approvals;
    this.submissions = submissions;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "listSubmissions", this::list,
        "approveSubmission", this::approve,
        "rejectSubmission", this::reject,
        "batchApproveSubmissions", this::batchApprove,
        "reverseSubmission", this::reverse);
  }

  private void list(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    Replies.page(
        ctx,
        (caller, cursor, limit) ->
            submissions.listOfCommunity(
                caller,
                input.queryParam("communityId"),
                Inputs.queryEnum(input, "status", SubmissionStatus.class),
                cursor,
                limit),
        CatalogViews::submission);
  }

  private void approve(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    JsonObject body = Inputs.bodyOrEmpty(input);
    String checkInOverride = checkInOverride(body);
    Replies.json(
        ctx,
        200,
        () ->
            approvals
                .approve(
                    Authentication.caller(ctx),
                    input.pathParam("submissionId"),
                    body.getString("note"),
                    checkInOverride)
                .compose(submissions::withAttendance)
                .map(CatalogViews::submission));
  }

  /** The reason staff approve without a verified check-in, when they say so; else null. */
  private static String checkInOverride(JsonObject body) {
    if (!body.getBoolean("overrideCheckIn", false)) {
      return null;
    }
    String reason = body.getString("reason");
    if (reason == null) {
      throw DomainException.invalidField("reason", "requiredWithOverride", Map.of());
    }
    return reason.strip();
  }

  private void reject(RoutingContext ctx) {
    withReason(ctx, approvals::reject);
  }

  /** A rejection or reversal, with the reason staff give, answered with the submission. */
  private interface WithReason {
    Future<Submission> apply(Caller caller, String submissionId, String reason);
  }

  private void withReason(RoutingContext ctx, WithReason decision) {
    ValidInput input = ValidInput.of(ctx);
    String reason = input.body().getString("reason").strip();
    Replies.json(
        ctx,
        200,
        () ->
            decision
                .apply(Authentication.caller(ctx), input.pathParam("submissionId"), reason)
                .compose(submissions::withAttendance)
                .map(CatalogViews::submission));
  }

  private void batchApprove(RoutingContext ctx) {
    List<String> ids =
        ValidInput.of(ctx).body().getJsonArray("submissionIds").stream()
            .map(String.class::cast)
            .toList();
    Replies.json(
        ctx,
        200,
        () ->
            approvals
                .batchApprove(Authentication.caller(ctx), ids)
                .map(
                    results ->
                        Views.items(
                            results,
                            result ->
                                new JsonObject()
                                    .put("submissionId", result.submissionId())
                                    .put("outcome", result.outcome().name()))));
  }

  private void reverse(RoutingContext ctx) {
    withReason(ctx, approvals::reverse);
  }
}
