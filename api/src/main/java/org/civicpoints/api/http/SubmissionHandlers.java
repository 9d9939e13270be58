package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.service.SubmissionService;
import org.civicpoints.api.service.SubmissionService.NewSubmission;

/** Tag "Submissions": members claim points and follow their claims. */
public final class SubmissionHandlers {

  private final SubmissionService submissions;

  public SubmissionHandlers(SubmissionService submissions) {
    this.submissions = submissions;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "createSubmission", this::create,
        "listMySubmissions", Replies.page(submissions::listMine, CatalogViews::submission),
        "getSubmission", Replies.byId("submissionId", submissions::get, CatalogViews::submission));
  }

  /** A replay answers exactly what the first request answered: 201 with the id and PENDING. */
  private void create(RoutingContext ctx) {
    NewSubmission request = claim(ValidInput.of(ctx).body());
    String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
    Replies.json(
        ctx,
        201,
        () ->
            submissions
                .submit(Authentication.caller(ctx), idempotencyKey, request)
                .map(SubmissionHandlers::pending));
  }

  /** The claim a member files, or staff file for a resident (createProxySubmission). */
  static NewSubmission claim(JsonObject body) {
    return new NewSubmission(
        body.getString("activityId"),
        Inputs.date(body, "occurredOn"),
        body.getInteger("units", 1),
        body.getJsonObject("evidence"));
  }

  /** The answer to a claim, first or replayed: its id, and PENDING. */
  static JsonObject pending(Submission submission) {
    return new JsonObject().put("submissionId", submission.submissionId()).put("status", "PENDING");
  }
}
