package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.service.CertificateContent;
import org.civicpoints.api.service.CertificateService;
import org.civicpoints.api.service.CertificateService.Issue;
import org.civicpoints.api.service.CertificateService.Verification;
import org.civicpoints.api.service.MessageCatalogue;

/**
 * Tag "Certificates": a member's service certificates (issue, list, PDF, revoke) and their public
 * verification, as JSON and as the page the certificate's QR code opens.
 */
public final class CertificateHandlers {

  private final CertificateService certificates;
  private final MessageCatalogue catalogue;

  public CertificateHandlers(CertificateService certificates, MessageCatalogue catalogue) {
    this.certificates = certificates;
    this.catalogue = catalogue;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "issueMyCertificate",
        this::issue,
        "listMyCertificates",
        Replies.page(certificates::mine, CertificateHandlers::summary),
        "getCertificatePdf",
        this::pdf,
        "revokeCertificate",
        Replies.byId("certificateId", certificates::revoke, CertificateHandlers::summary),
        "getCertificateVerification",
        this::verification,
        "getCertificateVerificationPage",
        this::page);
  }

  private void issue(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.json(
        ctx,
        201,
        () ->
            certificates
                .issue(
                    Authentication.caller(ctx),
                    new Issue(Inputs.date(body, "from"), Inputs.date(body, "to"), categories(body)))
                .map(CertificateHandlers::issued));
  }

  private static Set<Category> categories(JsonObject body) {
    Set<Category> categories = EnumSet.noneOf(Category.class);
    body.getJsonArray("categories")
        .forEach(name -> categories.add(Category.valueOf((String) name)));
    return categories;
  }

  private void pdf(RoutingContext ctx) {
    String certificateId = ValidInput.of(ctx).pathParam("certificateId");
    certificates
        .pdf(Authentication.caller(ctx), certificateId)
        .onSuccess(
            pdf ->
                ctx.response()
                    .putHeader("Content-Type", "application/pdf")
                    .putHeader(
                        "Content-Disposition",
                        "attachment; filename=\"certificate-" + certificateId + ".pdf\"")
                    .putHeader("Cache-Control", "private, no-store")
                    .end(Buffer.buffer(pdf)))
        .onFailure(ctx::fail);
  }

  private void verification(RoutingContext ctx) {
    String certificateId = ValidInput.of(ctx).pathParam("certificateId");
    Replies.json(
        ctx, 200, () -> certificates.verify(certificateId).map(CertificateHandlers::verified));
  }

  private void page(RoutingContext ctx) {
    String certificateId = ValidInput.of(ctx).pathParam("certificateId");
    certificates
        .verify(certificateId)
        .onSuccess(
            verification ->
                ctx.response()
                    .putHeader("Content-Type", "text/html; charset=utf-8")
                    .putHeader("Content-Language", "zh-CN")
                    .putHeader("Cache-Control", "no-store")
                    .end(CertificatePage.html(verification, catalogue)))
        .onFailure(ctx::fail);
  }

  /** The signed content, its JWS and whether it stands. */
  private static JsonObject issued(ServiceCertificate certificate) {
    return CertificateContent.of(certificate)
        .put("jws", certificate.jws())
        .put("revoked", certificate.revoked());
  }

  private static JsonObject summary(ServiceCertificate certificate) {
    JsonObject json =
        new JsonObject()
            .put("certificateId", certificate.certificateId())
            .put("issuedAt", certificate.issuedAt().toString())
            .put("from", certificate.from().toString())
            .put("to", certificate.to().toString())
            .put("categories", certificate.categories().stream().map(Category::name).toList())
            .put("hours", certificate.hours())
            .put("points", certificate.points())
            .put("entryCount", certificate.entries().size())
            .put("verificationUrl", certificate.verificationUrl())
            .put("revoked", certificate.revoked());
    if (certificate.revoked()) {
      json.put("revokedAt", certificate.revokedAt().toString());
    }
    return json;
  }

  /** What anyone may learn: no member id, the name masked. */
  private static JsonObject verified(Verification verification) {
    ServiceCertificate certificate = verification.certificate();
    JsonObject json =
        new JsonObject()
            .put("certificateId", certificate.certificateId())
            .put("status", verification.status().name())
            .put("issuer", certificate.issuer())
            .put("issuedAt", certificate.issuedAt().toString())
            .put("maskedName", certificate.maskedName())
            .put("from", certificate.from().toString())
            .put("to", certificate.to().toString())
            .put("categories", certificate.categories().stream().map(Category::name).toList())
            .put("hours", certificate.hours())
            .put("points", certificate.points())
            .put("entryCount", certificate.entries().size());
    if (certificate.revoked()) {
      json.put("revokedAt", certificate.revokedAt().toString());
    }
    if (verification.mismatch() != null) {
      json.put(
          "mismatch",
          new JsonObject()
              .put("entryId", verification.mismatch().entryId())
              .put("reason", verification.mismatch().reason().name()));
    }
    return json;
  }
}
