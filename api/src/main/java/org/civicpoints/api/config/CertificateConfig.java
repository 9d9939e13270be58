package org.civicpoints.api.config;

/**
 * Service certificates: the issuing body they name (CIVIC_CERTIFICATE_ISSUER) and the public origin
 * of this API (CIVIC_PUBLIC_URL, default http://localhost:8080), which their QR codes and
 * verification URLs point at ({@code {publicUrl}/verify/{certificateId}}).
 */
public record CertificateConfig(String issuer, String publicUrl) {

  static final String DEFAULT_ISSUER = "社区志愿服务积分平台";
}
