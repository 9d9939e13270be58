package org.civicpoints.api.http;

import java.util.Map;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.service.CertificateService.Verification;
import org.civicpoints.api.service.MessageCatalogue;

/**
 * The page a certificate's QR code opens on a phone: the verification's facts in simplified
 * Chinese, then in English; no script, no style sheet of ours, nothing but escaped text.
 */
final class CertificatePage {

  private CertificatePage() {}

  static String html(Verification verification, MessageCatalogue catalogue) {
    StringBuilder page =
        new StringBuilder(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>");
    page.append(escape(text(catalogue, Language.ZH_CN, "certificate.page.title", Map.of())))
        .append("</title></head><body>");
    for (Language language : Language.values()) {
      section(page, verification, catalogue, language);
    }
    return page.append("</body></html>").toString();
  }

  private static void section(
      StringBuilder page,
      Verification verification,
      MessageCatalogue catalogue,
      Language language) {
    ServiceCertificate certificate = verification.certificate();
    page.append("<section lang=\"").append(language.tag()).append("\"><h1>");
    page.append(escape(text(catalogue, language, "certificate.page.title", Map.of())));
    page.append("</h1><p><strong>");
    page.append(
        escape(
            text(
                catalogue,
                language,
                "certificate.status." + verification.status().name(),
                verification.mismatch() == null
                    ? Map.of()
                    : Map.of("entryId", verification.mismatch().entryId()))));
    page.append("</strong></p><p>");
    page.append(
        escape(
            text(
                catalogue,
                language,
                "certificate.page.facts",
                Map.of(
                    "name", certificate.maskedName(),
                    "from", certificate.from(),
                    "to", certificate.to(),
                    "hours", certificate.hours(),
                    "points", certificate.points(),
                    "entries", certificate.entries().size(),
                    "issuer", certificate.issuer(),
                    "certificateId", certificate.certificateId()))));
    page.append("</p></section>");
  }

  private static String text(
      MessageCatalogue catalogue, Language language, String key, Map<String, ?> args) {
    return catalogue.render(language, Text.of(key, args));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
