package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.domain.Scopes;
import org.civicpoints.api.port.IdentityVerifier;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.RefreshTokens;
import org.civicpoints.api.port.SessionFamily;
import org.civicpoints.api.port.StoredRefreshToken;
import org.civicpoints.api.port.StoredRefreshToken.Status;
import org.civicpoints.api.port.UserStanding;
import org.civicpoints.api.port.VerifiedIdentity;

/**
 * Sign-in (Firebase, dev), refresh-token rotation with reuse detection, and logout.
 *
 * <p>Every sign-in opens a token family. Each refresh retires the token it receives and issues the
 * next one of the family; a retired token presented again means it was copied, so the whole family
 * is revoked. A family ends for good at its absolute lifetime from the sign-in (RFC 9700 section
 * 4.14.2), and a Firebase sign-in asks Firebase again, at least once a day on refresh, whether its
 * user is still enabled and not revoked: if not, the family is revoked.
 */
public final class SessionService {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int REFRESH_TOKEN_BYTES = 32;
  static final Duration USER_RECHECK_INTERVAL = Duration.ofDays(1);

  private final Members members;
  private final RefreshTokens refreshTokens;
  private final IdentityVerifier identityVerifier;
  private final AccessTokens accessTokens;
  private final OrganisationService organisation;
  private final SignInLimits limits;
  private final Duration refreshTokenTtl;
  private final Duration absoluteLifetime;
  private final Optional<String> bootstrapAdminPhone;
  private final Clock clock;

  public SessionService(
      Members members,
      RefreshTokens refreshTokens,
      IdentityVerifier identityVerifier,
      AccessTokens accessTokens,
      OrganisationService organisation,
      SignInLimits limits,
      Duration refreshTokenTtl,
      Duration absoluteLifetime,
      Optional<String> bootstrapAdminPhone,
      Clock clock) {
    this.members = members;
    this.refreshTokens = refreshTokens;
    this.identityVerifier = identityVerifier;
    this.accessTokens = accessTokens;
    this.organisation = organisation;
    this.limits = limits;
    this.refreshTokenTtl = refreshTokenTtl;
    this.absoluteLifetime = absoluteLifetime;
    this.bootstrapAdminPhone = bootstrapAdminPhone;
    this.clock = clock;
  }

  public record Session(AccessTokens.IssuedToken access, String refreshToken, Member member) {}

  /** Dev sign-in: {@code roles} empty means "keep the member's roles". */
  public record DevSignIn(String phone, Set<Role> roles, Optional<String> communityId) {}

  public Future<Session> signInWithFirebase(String idToken, String clientIp) {
    limits.perIp(clientIp);
    return identityVerifier
        .verify(idToken)
        .compose(
            identity -> {
              identity.phone().ifPresent(limits::perPhone);
              return members
                  .findOrCreateByFirebaseUid(
                      newMember(identity.phone().orElse(null), identity.uid(), null))
                  .compose(this::bootstrapAdmin)
                  .compose(member -> openSession(member, identity));
            });
  }

  public Future<Session> signInForDevelopment(DevSignIn request, String clientIp) {
    limits.perIp(clientIp);
    limits.perPhone(request.phone());
    Optional<Community> community = request.communityId().map(this::existingCommunity);
    Set<String> scopes = scopesFor(request.roles(), community);
    Member fresh =
        newMember(request.phone(), null, community.map(Community::communityId).orElse(null));
    return members
        .findOrCreateByPhone(fresh)
        .compose(
            member ->
                community.isEmpty()
                    ? Future.succeededFuture(member)
                    : members.setCommunity(member.memberId(), community.get().communityId()))
        .compose(
            member ->
                request.roles().isEmpty()
                    ? Future.succeededFuture(member)
                    : members.setAccess(member.memberId(), withResident(request.roles()), scopes))
        .compose(this::bootstrapAdmin)
        .compose(member -> openSession(member, null));
  }

  public Future<Session> refresh(String refreshToken, String clientIp) {
    limits.perIp(clientIp);
    String hash = hash(refreshToken);
    return refreshTokens
        .findByHash(hash)
        .compose(
            stored ->
                stored == null ? Future.failedFuture(invalidRefreshToken()) : checkFamily(stored))
        .compose(this::rotate);
  }

  public Future<Void> logout(String refreshToken, String clientIp) {
    limits.perIp(clientIp);
    return refreshTokens
        .findByHash(hash(refreshToken))
        .compose(
            stored ->
                stored == null
                    ? Future.succeededFuture()
                    : refreshTokens.revokeFamily(stored.familyId(), "logout", clock.instant()));
  }

  /** A token presented for refresh, with its family. */
  private record Presented(StoredRefreshToken token, SessionFamily family) {}

  private Future<Presented> checkFamily(StoredRefreshToken stored) {
    return refreshTokens
        .findFamily(stored.familyId())
        .compose(
            family -> {
              Instant now = clock.instant();
              if (family == null || family.revoked()) {
                return Future.failedFuture(invalidRefreshToken());
              }
              if (stored.status() == Status.RETIRED) {
                return revokeForReuse(stored);
              }
              if (!family.expiresAt().isAfter(now)) {
                return revoke(family, "absolute lifetime reached", signInEnded());
              }
              if (!stored.expiresAt().isAfter(now)) {
                return Future.failedFuture(invalidRefreshToken());
              }
              return recheckUser(family).map(v -> new Presented(stored, family));
            });
  }

  /**
   * Once a day at least, a Firebase sign-in asks Firebase whether its user may still be in; before
   * the token is retired, so a Firebase outage (503) leaves the token usable for a retry.
   */
  private Future<Void> recheckUser(SessionFamily family) {
    Instant now = clock.instant();
    if (!family.isFirebase() || now.isBefore(family.userCheckedAt().plus(USER_RECHECK_INTERVAL))) {
      return Future.succeededFuture();
    }
    return identityVerifier
        .standing(family.firebaseUid(), family.firebaseAuthTime())
        .compose(
            standing ->
                standing == UserStanding.ACTIVE
                    ? refreshTokens.userChecked(family.familyId(), now)
                    : revoke(family, "firebase user " + standing.name().toLowerCase(), userGone()));
  }

  private <T> Future<T> revoke(SessionFamily family, String reason, DomainException answer) {
    return refreshTokens
        .revokeFamily(family.familyId(), reason, clock.instant())
        .compose(v -> Future.failedFuture(answer));
  }

  private Future<Session> rotate(Presented presented) {
    StoredRefreshToken stored = presented.token();
    return refreshTokens
        .retire(stored.tokenHash(), clock.instant())
        // Losing the race to retire means another request used the same token: that is reuse too.
        .compose(
            retired ->
                retired ? members.findById(stored.memberId()) : this.<Member>revokeForReuse(stored))
        .compose(
            member ->
                member == null
                    ? Future.failedFuture(invalidRefreshToken())
                    : issueInFamily(member, presented.family()));
  }

  private <T> Future<T> revokeForReuse(StoredRefreshToken stored) {
    return refreshTokens
        .revokeFamily(stored.familyId(), "refresh token reused", clock.instant())
        .compose(
            v ->
                Future.failedFuture(
                    new DomainException(
                        ErrorCode.REFRESH_TOKEN_REUSED, "familyRevoked", Map.of())));
  }

  /** {@code identity} is the Firebase identity signed in with, null for a dev sign-in. */
  private Future<Session> openSession(Member member, VerifiedIdentity identity) {
    Instant now = clock.instant();
    SessionFamily family =
        new SessionFamily(
            Ids.sessionFamilyId(),
            member.memberId(),
            now,
            now.plus(absoluteLifetime),
            identity == null ? null : identity.uid(),
            identity == null ? null : identity.authTime(),
            now,
            false);
    return refreshTokens.openFamily(family).compose(v -> issueInFamily(member, family));
  }

  /** Each token lives its TTL, but never past the family's absolute end. */
  private Future<Session> issueInFamily(Member member, SessionFamily family) {
    String token = newRefreshToken();
    Instant now = clock.instant();
    Instant expiresAt = now.plus(refreshTokenTtl);
    StoredRefreshToken stored =
        new StoredRefreshToken(
            hash(token),
            family.familyId(),
            member.memberId(),
            Status.ACTIVE,
            now,
            expiresAt.isBefore(family.expiresAt()) ? expiresAt : family.expiresAt());
    return refreshTokens
        .insert(stored)
        .map(v -> new Session(accessTokens.issue(member, authTime(family)), token, member));
  }

  /**
   * When the person last proved who they are: Firebase's auth_time (an app may exchange a cached ID
   * token long after the SMS code), else the dev sign-in itself.
   */
  private static Instant authTime(SessionFamily family) {
    return family.isFirebase() ? family.firebaseAuthTime() : family.signedInAt();
  }

  private Future<Member> bootstrapAdmin(Member member) {
    boolean isBootstrapAdmin =
        member.phone() != null && bootstrapAdminPhone.filter(member.phone()::equals).isPresent();
    if (!isBootstrapAdmin || member.has(Role.ADMIN)) {
      return Future.succeededFuture(member);
    }
    Set<Role> roles = EnumSet.copyOf(member.roles());
    roles.add(Role.ADMIN);
    return members.setAccess(member.memberId(), roles, member.scopes());
  }

  private Community existingCommunity(String communityId) {
    return organisation
        .organisation()
        .community(communityId)
        .orElseThrow(() -> DomainException.invalidField("communityId", "notCommunity", Map.of()));
  }

  /** STAFF is scoped to the community, ORGANIZER to the community's street. */
  private static Set<String> scopesFor(Set<Role> roles, Optional<Community> community) {
    Set<String> scopes = new HashSet<>();
    boolean needsCommunity = roles.contains(Role.STAFF) || roles.contains(Role.ORGANIZER);
    if (needsCommunity && community.isEmpty()) {
      throw DomainException.invalidField("communityId", "requiredForStaffRoles", Map.of());
    }
    if (roles.contains(Role.STAFF)) {
      scopes.add(Scopes.community(community.get().communityId()));
    }
    if (roles.contains(Role.ORGANIZER)) {
      scopes.add(Scopes.street(community.get().streetId()));
    }
    return scopes;
  }

  private static Set<Role> withResident(Set<Role> roles) {
    Set<Role> all = EnumSet.of(Role.RESIDENT);
    all.addAll(roles);
    return all;
  }

  private Member newMember(String phone, String firebaseUid, String communityId) {
    String memberId = Ids.memberId();
    return Member.signedIn(
        memberId,
        phone,
        firebaseUid,
        "Resident " + memberId.substring(2, 6).toUpperCase(),
        communityId,
        clock.instant());
  }

  private static DomainException signInEnded() {
    return new DomainException(ErrorCode.INVALID_REFRESH_TOKEN, "signInEnded", Map.of());
  }

  private static DomainException userGone() {
    return new DomainException(ErrorCode.INVALID_REFRESH_TOKEN, "userGone", Map.of());
  }

  private static DomainException invalidRefreshToken() {
    return new DomainException(ErrorCode.INVALID_REFRESH_TOKEN, "unknown", Map.of());
  }

  private static String newRefreshToken() {
    byte[] bytes = new byte[REFRESH_TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Only the hash is stored: a leaked database does not hand out sessions. */
  static String hash(String refreshToken) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(refreshToken.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("Every Java runtime has SHA-256", impossible);
    }
  }
}
