package org.civicpoints.api.service;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.domain.ServiceRecord;

/**
 * What a service certificate says, as JSON: the content its JWS signs (ES256 with the API's current
 * signing key, {@code kid} in the header, so anyone holding the JWKS verifies it offline) and what
 * the API answers.
 */
public final class CertificateContent {

  private CertificateContent() {}

  public static JsonObject of(ServiceCertificate certificate) {
    JsonArray entries = new JsonArray();
    certificate.entries().forEach(entry -> entries.add(entry(entry)));
    return new JsonObject()
        .put("certificateId", certificate.certificateId())
        .put("issuer", certificate.issuer())
        .put("memberId", certificate.memberId())
        .put("memberName", certificate.memberName())
        .put("issuedAt", certificate.issuedAt().toString())
        .put("from", certificate.from().toString())
        .put("to", certificate.to().toString())
        .put(
            "categories",
            new JsonArray(certificate.categories().stream().map(Category::name).toList()))
        .put("hours", certificate.hours())
        .put("points", certificate.points())
        .put("entries", entries)
        .put("verificationUrl", certificate.verificationUrl());
  }

  private static JsonObject entry(ServiceRecord entry) {
    return new JsonObject()
        .put("entryId", entry.entryId())
        .put("category", entry.category().name())
        .put("activityTitle", entry.activityTitle())
        .put("occurredOn", entry.occurredOn().toString())
        .put("communityId", entry.communityId())
        .put("hours", entry.hours())
        .put("units", entry.units())
        .put("points", entry.points())
        .put("txId", entry.txId())
        .put("blockNumber", entry.blockNumber());
  }

  /** The compact JWS of the certificate's content, signed with the current key. */
  static String sign(ServiceCertificate certificate, Supplier<SigningKeys> keys) {
    SigningKeys.SigningKey key = keys.get().current();
    return io.jsonwebtoken.Jwts.builder()
        .header()
        .keyId(key.kid())
        .contentType("application/json")
        .and()
        .content(of(certificate).encode().getBytes(StandardCharsets.UTF_8))
        .signWith(key.keyPair().getPrivate(), io.jsonwebtoken.Jwts.SIG.ES256)
        .compact();
  }
}
