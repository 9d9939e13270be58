package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.ServiceCertificate;
import org.civicpoints.api.domain.ServiceRecord;
import org.civicpoints.api.port.Certificates;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.ServiceRecords;

/**
 * Service certificates: issued from the member's chain-recorded entries, signed, kept, rendered as
 * a PDF, verified by anyone against the chain, revoked by their member or an admin.
 */
public final class CertificateService {

  /** The longest period one certificate covers. */
  static final Period MAX_PERIOD = Period.ofYears(5);

  /** The most entries one certificate lists (each is read from the chain when verified). */
  static final int MAX_ENTRIES = 200;

  /** What a verification found. */
  public enum Status {
    VALID,
    REVOKED,
    MISMATCH
  }

  /** Why a listed entry no longer matches the chain. */
  public enum MismatchReason {
    MISSING,
    DIFFERS,
    REVERSED
  }

  public record Mismatch(String entryId, MismatchReason reason) {}

  public record Verification(ServiceCertificate certificate, Status status, Mismatch mismatch) {}

  public record Issue(LocalDate from, LocalDate to, Set<Category> categories) {}

  /** Where certificates point people (the QR code) and who they say issued them. */
  public record Issuing(String issuer, String publicUrl) {
    String verificationUrl(String certificateId) {
      return publicUrl.replaceAll("/+$", "") + "/verify/" + certificateId;
    }
  }

  private final Certificates certificates;
  private final ServiceRecords records;
  private final Members members;
  private final Ledger ledger;
  private final Supplier<SigningKeys> keys;
  private final CertificatePdf pdf;
  private final WorkerExecutor rendering;
  private final Issuing issuing;
  private final Clock clock;

  public CertificateService(
      Certificates certificates,
      ServiceRecords records,
      Members members,
      Ledger ledger,
      Supplier<SigningKeys> keys,
      CertificatePdf pdf,
      WorkerExecutor rendering,
      Issuing issuing,
      Clock clock) {
    this.certificates = certificates;
    this.records = records;
    this.members = members;
    this.ledger = ledger;
    this.keys = keys;
    this.pdf = pdf;
    this.rendering = rendering;
    this.issuing = issuing;
    this.clock = clock;
  }

  public Future<ServiceCertificate> issue(Caller caller, Issue request) {
    checkPeriod(request);
    return members
        .findById(caller.memberId())
        .compose(
            member ->
                records
                    .inPeriod(member.memberId(), request.from(), request.to(), request.categories())
                    .map(found -> certificate(member, request, standing(found))))
        .map(unsigned -> unsigned.signed(CertificateContent.sign(unsigned, keys)))
        .compose(signed -> certificates.insert(signed).map(signed));
  }

  private static void checkPeriod(Issue request) {
    if (request.to().isBefore(request.from())) {
      throw DomainException.invalidField(
          "body.to", "notBeforeFrom", Map.of("from", request.from()));
    }
    if (request.to().isAfter(request.from().plus(MAX_PERIOD))) {
      throw DomainException.invalidField(
          "body.to", "certificatePeriodTooLong", Map.of("years", MAX_PERIOD.getYears()));
    }
  }

  /** The awards that stand: an award with its reversal recorded counts neither. */
  private static List<ServiceRecord> standing(List<ServiceRecord> found) {
    Set<String> reversed =
        found.stream()
            .filter(record -> record.kind() == EntryKind.REVERSAL)
            .map(ServiceRecord::awardEntryId)
            .collect(Collectors.toSet());
    return found.stream()
        .filter(record -> record.kind() == EntryKind.AWARD)
        .filter(award -> !reversed.contains(award.entryId()))
        .toList();
  }

  private ServiceCertificate certificate(Member member, Issue request, List<ServiceRecord> awards) {
    if (member.displayName() == null || member.displayName().isBlank()) {
      throw new DomainException(ErrorCode.INVALID_STATE, "certificateNeedsName", Map.of());
    }
    if (awards.isEmpty()) {
      throw new DomainException(
          ErrorCode.NOTHING_TO_CERTIFY,
          "inPeriod",
          Map.of("from", request.from(), "to", request.to()));
    }
    if (awards.size() > MAX_ENTRIES) {
      throw DomainException.invalidField(
          "body.from", "certificateTooManyEntries", Map.of("limit", MAX_ENTRIES));
    }
    String certificateId = Ids.certificateId();
    return new ServiceCertificate(
        certificateId,
        member.memberId(),
        member.displayName(),
        issuing.issuer(),
        clock.instant(),
        request.from(),
        request.to(),
        request.categories().stream().sorted().toList(),
        awards.stream().mapToLong(ServiceRecord::hours).sum(),
        awards.stream().mapToLong(ServiceRecord::points).sum(),
        awards,
        issuing.verificationUrl(certificateId),
        null,
        null);
  }

  public Future<Page<ServiceCertificate>> mine(Caller caller, String cursor, int limit) {
    return certificates.ofMember(caller.memberId(), Cursor.decode(cursor), limit);
  }

  /** Its member's or an admin's; anyone else is told it does not exist. */
  public Future<ServiceCertificate> visible(Caller caller, String certificateId) {
    return certificates
        .find(certificateId)
        .map(
            found ->
                found
                    .filter(c -> c.memberId().equals(caller.memberId()) || caller.isAdmin())
                    .orElseThrow(() -> notFound(certificateId)));
  }

  public Future<byte[]> pdf(Caller caller, String certificateId) {
    return visible(caller, certificateId)
        .compose(certificate -> rendering.executeBlocking(() -> pdf.render(certificate), false));
  }

  public Future<ServiceCertificate> revoke(Caller caller, String certificateId) {
    return visible(caller, certificateId)
        .compose(certificate -> certificates.revoke(certificate.certificateId(), clock.instant()));
  }

  /** For anyone: a revoked certificate is not read against the chain; a standing one is. */
  public Future<Verification> verify(String certificateId) {
    return certificates
        .find(certificateId)
        .map(found -> found.orElseThrow(() -> notFound(certificateId)))
        .compose(
            certificate ->
                certificate.revoked()
                    ? Future.succeededFuture(new Verification(certificate, Status.REVOKED, null))
                    : againstChain(certificate));
  }

  /** Every listed award and its possible reversal, read from the chain at once. */
  private Future<Verification> againstChain(ServiceCertificate certificate) {
    List<Future<Optional<Mismatch>>> checks =
        certificate.entries().stream().map(this::check).toList();
    return Future.all(checks)
        .recover(PointsService::ledgerUnavailable)
        .map(
            all ->
                checks.stream()
                    .flatMap(check -> check.result().stream())
                    .findFirst()
                    .map(mismatch -> new Verification(certificate, Status.MISMATCH, mismatch))
                    .orElse(new Verification(certificate, Status.VALID, null)));
  }

  private Future<Optional<Mismatch>> check(ServiceRecord award) {
    Future<Optional<JsonObject>> entry = ledger.entry(award.entryId());
    Future<Optional<JsonObject>> reversal =
        ledger.entry(ServiceRecord.reversalIdOf(award.entryId()));
    return Future.all(entry, reversal)
        .map(both -> mismatch(award, entry.result(), reversal.result()));
  }

  private static Optional<Mismatch> mismatch(
      ServiceRecord award, Optional<JsonObject> entry, Optional<JsonObject> reversal) {
    if (entry.isEmpty()) {
      return Optional.of(new Mismatch(award.entryId(), MismatchReason.MISSING));
    }
    if (!matches(award, entry.get())) {
      return Optional.of(new Mismatch(award.entryId(), MismatchReason.DIFFERS));
    }
    return reversal.map(found -> new Mismatch(award.entryId(), MismatchReason.REVERSED));
  }

  static boolean matches(ServiceRecord award, JsonObject chain) {
    return award.memberId().equals(chain.getString("memberId"))
        && EntryKind.AWARD.name().equals(chain.getString("kind"))
        && award.points() == chain.getLong("points", Long.MIN_VALUE)
        && award.units() == chain.getLong("units", Long.MIN_VALUE)
        && award.category().name().equals(chain.getString("category"))
        && award.occurredOn().toString().equals(chain.getString("occurredOn"))
        && award.txId().equals(chain.getString("txId"));
  }

  private static DomainException notFound(String certificateId) {
    return DomainException.notFound("certificate", Map.of("certificateId", certificateId));
  }
}
