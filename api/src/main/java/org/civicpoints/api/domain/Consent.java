package org.civicpoints.api.domain;

import java.time.Instant;

/** One choice a member made, when, and the version of the text they were shown. */
public record Consent(
    String consentId,
    String memberId,
    ConsentPurpose purpose,
    String choice,
    String textVersion,
    Instant recordedAt) {

  public static Consent recorded(
      String memberId, ConsentPurpose purpose, String choice, String textVersion, Instant at) {
    return new Consent(Ids.consentId(), memberId, purpose, choice, textVersion, at);
  }
}
