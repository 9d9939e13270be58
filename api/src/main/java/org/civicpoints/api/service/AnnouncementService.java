package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Announcement;
import org.civicpoints.api.domain.Announcement.Link;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Announcements;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Notifier.Notice;
import org.civicpoints.api.port.Rewards;

/**
 * Staff announce to the communities they staff, admins to any org unit; residents read those of
 * their community and the units above it. Each resident of the scope gets an inbox notice, pushed
 * unless they turned announcements off; the notice's id comes from the announcement and the member.
 */
public final class AnnouncementService {

  private static final int SHOWN = 50;

  private final Announcements announcements;
  private final Activities activities;
  private final Rewards rewards;
  private final Members members;
  private final OrganisationService organisation;
  private final Notifier notifier;
  private final AuditLog audit;
  private final Clock clock;

  public AnnouncementService(
      Announcements announcements,
      Activities activities,
      Rewards rewards,
      Members members,
      OrganisationService organisation,
      Notifier notifier,
      AuditLog audit,
      Clock clock) {
    this.announcements = announcements;
    this.activities = activities;
    this.rewards = rewards;
    this.members = members;
    this.organisation = organisation;
    this.notifier = notifier;
    this.audit = audit;
    this.clock = clock;
  }

  public record NewAnnouncement(
      String scopeId, String title, String body, Link link, boolean pinned, Instant until) {}

  public Future<Announcement> announce(Caller caller, NewAnnouncement request) {
    requireAnnouncer(caller, request.scopeId());
    Announcement announcement =
        new Announcement(
            Ids.announcementId(),
            request.scopeId(),
            request.title(),
            request.body(),
            request.link(),
            request.pinned(),
            request.until(),
            caller.memberId(),
            clock.instant());
    return requireLinked(request.link())
        .compose(v -> announcements.insert(announcement))
        .compose(
            v ->
                audit.record(
                    caller.memberId(),
                    "ANNOUNCEMENT_CREATE",
                    announcement.announcementId(),
                    null,
                    new JsonObject().put("scopeId", announcement.scopeId()),
                    announcement.scopeId()))
        .compose(v -> tellResidents(announcement))
        .map(announcement);
  }

  /** The caller's: their community's and those of the units above it. */
  public Future<List<Announcement>> shownTo(Caller caller) {
    return members
        .findById(caller.memberId())
        .compose(member -> announcements.shownIn(scopesAbove(member), clock.instant(), SHOWN));
  }

  /** Staff of another community get 404, as for every object outside their scope. */
  private void requireAnnouncer(Caller caller, String scopeId) {
    if (!caller.has(Role.STAFF) && !caller.isAdmin()) {
      throw DomainException.forbidden("staffOrAdmin", Map.of());
    }
    if (caller.isAdmin()) {
      if (organisation.organisation().unit(scopeId).filter(OrgUnit::active).isEmpty()) {
        throw DomainException.notFound("orgUnit", Map.of("unitId", scopeId));
      }
    } else if (organisation.organisation().community(scopeId).isEmpty()
        || !caller.staffsCommunity(scopeId)) {
      throw DomainException.notFound("communityInScope", Map.of("communityId", scopeId));
    }
  }

  private Future<Void> requireLinked(Link link) {
    if (link == null) {
      return Future.succeededFuture();
    }
    if (link.kind() == Link.Kind.ACTIVITY) {
      return activities
          .findById(link.id())
          .compose(
              found ->
                  found != null
                      ? Future.succeededFuture()
                      : Future.failedFuture(
                          DomainException.notFound("activity", Map.of("activityId", link.id()))));
    }
    return rewards
        .find(link.id())
        .compose(
            found ->
                found.isPresent()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        DomainException.notFound("reward", Map.of("rewardId", link.id()))));
  }

  private List<String> scopesAbove(Member member) {
    List<String> scopes = new ArrayList<>();
    organisation.organisation().activeCity().ifPresent(city -> scopes.add(city.unitId()));
    Optional.ofNullable(member == null ? null : member.communityId())
        .flatMap(organisation.organisation()::community)
        .ifPresent(
            community -> {
              scopes.add(community.communityId());
              Optional.ofNullable(community.streetId()).ifPresent(scopes::add);
              Optional.ofNullable(community.districtId()).ifPresent(scopes::add);
            });
    return scopes;
  }

  /** Every member of every community at or below the scope. */
  private Future<Void> tellResidents(Announcement announcement) {
    List<Community> reached =
        organisation.communities().stream().filter(c -> below(c, announcement.scopeId())).toList();
    JsonObject data =
        new JsonObject()
            .put("announcementId", announcement.announcementId())
            .put("title", announcement.title())
            .put("text", announcement.body());
    return Future.all(reached.stream().map(c -> members.listByCommunity(c.communityId())).toList())
        .compose(
            all -> {
              List<Notice> notices = new ArrayList<>();
              all.<List<Member>>list()
                  .forEach(
                      residents ->
                          residents.forEach(
                              member ->
                                  notices.add(
                                      new Notice(
                                          "announcement:"
                                              + announcement.announcementId()
                                              + ":"
                                              + member.memberId(),
                                          member.memberId(),
                                          NotificationKind.ANNOUNCEMENT,
                                          data))));
              return notifier.notifyOnce(notices);
            });
  }

  private boolean below(Community community, String scopeId) {
    return scopeId.equals(community.communityId())
        || scopeId.equals(community.streetId())
        || scopeId.equals(community.districtId())
        || organisation
            .organisation()
            .activeCity()
            .map(OrgUnit::unitId)
            .filter(scopeId::equals)
            .isPresent();
  }
}
