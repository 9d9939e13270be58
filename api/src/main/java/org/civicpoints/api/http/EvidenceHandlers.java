package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.PhotoDownload;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;
import org.civicpoints.api.service.EvidenceService;

/** Tag "Evidence": members upload photos for their claims; who may see a claim reads them. */
public final class EvidenceHandlers {

  /**
   * Photos do not change; only the browser or app of the reader may keep them (never a shared
   * cache: they are personal).
   */
  private static final String CACHE_CONTROL = "private, max-age=3600";

  private final EvidenceService evidence;

  public EvidenceHandlers(EvidenceService evidence) {
    this.evidence = evidence;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "uploadEvidence", this::upload,
        "getEvidence", ctx -> read(ctx, Variant.PHOTO),
        "getEvidenceThumbnail", ctx -> read(ctx, Variant.THUMBNAIL));
  }

  /** The raw body is the photo; its Content-Type only has to be one of the contract's. */
  private void upload(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    Replies.json(
        ctx,
        201,
        () -> {
          if (body == null || body.length() == 0) {
            throw DomainException.invalidField("body", "required", Map.of());
          }
          return evidence
              .upload(Authentication.caller(ctx), body.getBytes())
              .map(uploaded -> new JsonObject().put("evidenceId", uploaded.evidenceId()));
        });
  }

  private void read(RoutingContext ctx, Variant variant) {
    String evidenceId = ValidInput.of(ctx).pathParam("evidenceId");
    evidence
        .read(Authentication.caller(ctx), evidenceId, variant)
        .onSuccess(photo -> send(ctx, photo))
        .onFailure(ctx::fail);
  }

  /** A signed URL is the reader's alone and soon expires: nobody keeps the redirect. */
  private static void send(RoutingContext ctx, PhotoDownload photo) {
    if (photo.redirects()) {
      ctx.response()
          .setStatusCode(302)
          .putHeader("Location", photo.signedUrl().toString())
          .putHeader("Cache-Control", "no-store")
          .end();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", "image/jpeg")
        .putHeader("Cache-Control", CACHE_CONTROL)
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(Buffer.buffer(photo.jpeg()));
  }
}
