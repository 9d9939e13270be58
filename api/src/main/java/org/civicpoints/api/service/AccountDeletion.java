package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.MemberData;
import org.civicpoints.api.port.Members;

/**
 * A member deletes their account (DELETE /v1/me), having proved who they are within the last {@link
 * #FRESH_SIGN_IN}. What names them goes: phone, name, avatar, Firebase user and link, devices,
 * refresh tokens, photos and evidence notes, service certificates (they carry the name). What stays
 * is pseudonymous: the member id, its community, its chain entries (the chain holds no personal
 * data), its consent records, and the audit trail of staff actions by member id. Pending
 * submissions stay for staff to decide (without their evidence); redemptions nobody picks up are
 * cancelled and refunded by the pickup deadline.
 *
 * <p>Every step is idempotent and the member record is erased last, so a deletion cut short (the
 * identity provider down) is finished by a retry; a repeat after it finished answers the same.
 */
public final class AccountDeletion {

  public static final Duration FRESH_SIGN_IN = Duration.ofMinutes(5);

  private final Members members;
  private final MemberData data;
  private final EvidenceStore photos;
  private final IdentityVerifier identities;
  private final DataExportService exports;
  private final DeletedMembers deleted;
  private final AuditLog audit;
  private final Runnable boardsChanged;
  private final Clock clock;

  public AccountDeletion(
      Members members,
      MemberData data,
      EvidenceStore photos,
      IdentityVerifier identities,
      DataExportService exports,
      DeletedMembers deleted,
      AuditLog audit,
      Runnable boardsChanged,
      Clock clock) {
    this.members = members;
    this.data = data;
    this.photos = photos;
    this.identities = identities;
    this.exports = exports;
    this.deleted = deleted;
    this.audit = audit;
    this.boardsChanged = boardsChanged;
    this.clock = clock;
  }

  public Future<Void> deleteMe(Caller caller) {
    if (!caller.authenticatedSince(clock.instant().minus(FRESH_SIGN_IN))) {
      throw new DomainException(
          ErrorCode.REAUTHENTICATION_REQUIRED,
          "deleteAccount",
          Map.of("minutes", FRESH_SIGN_IN.toMinutes()));
    }
    return members
        .findById(caller.memberId())
        .compose(
            member -> {
              if (member == null) {
                return Future.failedFuture(DomainException.notFound("memberGone", Map.of()));
              }
              return member.deleted() ? Future.succeededFuture() : delete(member);
            });
  }

  private Future<Void> delete(Member member) {
    String memberId = member.memberId();
    return (member.firebaseUid() == null
            ? Future.<Void>succeededFuture()
            : identities.deleteUser(member.firebaseUid()))
        .compose(v -> data.evidenceIds(memberId))
        .compose(this::deletePhotos)
        .compose(v -> data.eraseTraces(memberId))
        .compose(v -> exports.forget(memberId))
        .compose(v -> data.noteDeletion(memberId, clock.instant()))
        .onSuccess(v -> deleted.add(memberId))
        .compose(v -> members.erase(memberId, clock.instant()))
        .compose(before -> before == null ? Future.succeededFuture() : audited(before))
        .onSuccess(v -> boardsChanged.run());
  }

  private Future<Void> deletePhotos(List<String> evidenceIds) {
    return Future.all(evidenceIds.stream().map(photos::delete).toList()).mapEmpty();
  }

  /** By member id only, with no trace of what was erased. */
  private Future<Void> audited(Member before) {
    return audit.record(
        before.memberId(),
        "ACCOUNT_DELETE",
        before.memberId(),
        new JsonObject().put("deleted", false),
        new JsonObject().put("deleted", true),
        before.communityId());
  }
}
