package org.civicpoints.api.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A certificate of the service a member's chain-recorded entries show in a period: the awards that
 * stand (an award reversed before issue is left out, so the totals are awards minus reversals),
 * each with its transaction and block. {@code jws} signs the certificate's content (ES256, the
 * API's signing key); {@code revokedAt} is null while it stands.
 */
public record ServiceCertificate(
    String certificateId,
    String memberId,
    String memberName,
    String issuer,
    Instant issuedAt,
    LocalDate from,
    LocalDate to,
    List<Category> categories,
    long hours,
    long points,
    List<ServiceRecord> entries,
    String verificationUrl,
    String jws,
    Instant revokedAt) {

  public ServiceCertificate {
    categories = List.copyOf(categories);
    entries = List.copyOf(entries);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public ServiceCertificate signed(String signature) {
    return new ServiceCertificate(
        certificateId,
        memberId,
        memberName,
        issuer,
        issuedAt,
        from,
        to,
        categories,
        hours,
        points,
        entries,
        verificationUrl,
        signature,
        revokedAt);
  }

  /** The name as the public verification shows it: the first character, then one * per other. */
  public String maskedName() {
    if (memberName == null || memberName.isBlank()) {
      return "*";
    }
    int first = memberName.offsetByCodePoints(0, 1);
    return memberName.substring(0, first)
        + "*".repeat(Math.max(1, memberName.codePointCount(first, memberName.length())));
  }
}
