package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.ServiceCertificate;

/** Issued service certificates. */
public interface Certificates {

  Future<Void> insert(ServiceCertificate certificate);

  Future<Optional<ServiceCertificate>> find(String certificateId);

  /** The member's certificates, newest first. */
  Future<Page<ServiceCertificate>> ofMember(String memberId, Cursor after, int limit);

  /** Marks it revoked at {@code at} unless it is already; the certificate as it now stands. */
  Future<ServiceCertificate> revoke(String certificateId, Instant at);
}
