package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Activity;
import org.civicpoints.api.domain.Attendance;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.Community;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Role;
import org.civicpoints.api.port.Activities;
import org.civicpoints.api.port.Activities.Found;
import org.civicpoints.api.port.Activities.Near;
import org.civicpoints.api.port.Activities.Search;
import org.civicpoints.api.port.Attendances;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.Waitlist;
import org.civicpoints.api.port.Waitlist.Place;

/**
 * How residents find activities: a listing by community, type, dates, words and distance, each item
 * saying whether the caller is enrolled or waiting; and the caller's own enrollments.
 */
public final class ActivityFinder {

  private final Activities activities;
  private final Attendances attendances;
  private final Waitlist waitlist;
  private final Members members;
  private final OrganisationService organisation;
  private final Clock clock;

  ActivityFinder(
      Activities activities,
      Attendances attendances,
      Waitlist waitlist,
      Members members,
      OrganisationService organisation,
      Clock clock) {
    this.activities = activities;
    this.attendances = attendances;
    this.waitlist = waitlist;
    this.members = members;
    this.organisation = organisation;
    this.clock = clock;
  }

  /** The caller's relation to an activity. */
  public enum Mine {
    NONE,
    ENROLLED,
    WAITLISTED
  }

  /** What a listing asks; null fields do not filter. */
  public record Query(
      String communityId,
      Category type,
      Instant from,
      Instant to,
      String text,
      Near near,
      String cursor,
      int limit) {}

  /** An activity as listed to the caller; {@code distanceMeters} only when searched near. */
  public record Listed(Activity activity, Double distanceMeters, Mine mine) {}

  /** One of the caller's activities: enrolled (with their attendance) or waiting. */
  public record Enrollment(Activity activity, Mine status, Instant since, Attendance attendance) {}

  Future<Page<Listed>> list(Caller caller, Query query) {
    if (query.from() != null && query.to() != null && !query.to().isAfter(query.from())) {
      throw DomainException.invalidField("query.to", "afterFrom", Map.of());
    }
    Cursor after = Cursor.decode(query.cursor());
    return communities(caller, query.communityId())
        .compose(
            ids ->
                activities.search(
                    new Search(
                        ids,
                        partyCommunities(caller, ids),
                        query.type(),
                        query.from(),
                        query.to(),
                        query.text(),
                        query.near(),
                        after,
                        query.limit())))
        .compose(page -> withMine(caller, page));
  }

  /**
   * The one community asked for; else the caller's community and the units above it (street,
   * district, city), so an activity held for a whole street or district is listed too; a member
   * without a community sees the communities they staff (admins: all).
   */
  private Future<Collection<String>> communities(Caller caller, String communityId) {
    if (communityId != null) {
      if (organisation.organisation().community(communityId).isEmpty()) {
        throw DomainException.notFound("community", Map.of("communityId", communityId));
      }
      return Future.succeededFuture(List.of(communityId));
    }
    return members
        .findById(caller.memberId())
        .map(member -> Optional.ofNullable(member).map(Member::communityId).orElse(null))
        .map(
            own ->
                own != null
                    ? unitsFrom(own)
                    : caller.isAdmin() ? null : staffed(caller, allCommunities()));
  }

  private List<String> unitsFrom(String communityId) {
    List<String> units = new ArrayList<>(List.of(communityId));
    organisation
        .organisation()
        .community(communityId)
        .ifPresent(
            community -> {
              Optional.ofNullable(community.streetId()).ifPresent(units::add);
              Optional.ofNullable(community.districtId()).ifPresent(units::add);
            });
    organisation.organisation().activeCity().map(OrgUnit::unitId).ifPresent(units::add);
    return units;
  }

  /** PARTY activities: everywhere for party members and admins, else where the caller is staff. */
  private Collection<String> partyCommunities(Caller caller, Collection<String> communityIds) {
    if (caller.has(Role.PARTY_MEMBER) || caller.isAdmin()) {
      return null;
    }
    return staffed(caller, communityIds == null ? allCommunities() : communityIds);
  }

  private List<String> allCommunities() {
    return organisation.communities().stream().map(Community::communityId).toList();
  }

  private static List<String> staffed(Caller caller, Collection<String> communityIds) {
    return communityIds.stream().filter(caller::staffsCommunity).toList();
  }

  private Future<Page<Listed>> withMine(Caller caller, Page<Found> page) {
    List<String> ids = page.items().stream().map(found -> found.activity().activityId()).toList();
    Future<List<Attendance>> enrolled = attendances.among(caller.memberId(), ids);
    Future<List<Place>> waiting = waitlist.among(caller.memberId(), ids);
    return Future.all(enrolled, waiting)
        .map(
            done -> {
              Set<String> in = activityIds(enrolled.result(), Attendance::activityId);
              Set<String> queued = activityIds(waiting.result(), Place::activityId);
              List<Listed> items =
                  page.items().stream()
                      .map(
                          found -> {
                            String id = found.activity().activityId();
                            Mine mine =
                                in.contains(id)
                                    ? Mine.ENROLLED
                                    : queued.contains(id) ? Mine.WAITLISTED : Mine.NONE;
                            return new Listed(found.activity(), found.distanceMeters(), mine);
                          })
                      .toList();
              return new Page<>(items, page.nextCursor());
            });
  }

  private static <T> Set<String> activityIds(List<T> items, Function<T, String> activityId) {
    return items.stream().map(activityId).collect(Collectors.toSet());
  }

  /**
   * The caller's enrollments and waitlist places: upcoming (not ended) earliest first, or past
   * latest first. A member's own list is small, so it is sorted here.
   */
  Future<Page<Enrollment>> mine(Caller caller, boolean past, String cursor, int limit) {
    Cursor after = Cursor.decode(cursor);
    Future<List<Attendance>> enrolled = attendances.ofMember(caller.memberId());
    Future<List<Place>> waiting = waitlist.ofMember(caller.memberId());
    return Future.all(enrolled, waiting)
        .compose(
            done -> {
              List<String> ids = new ArrayList<>();
              enrolled.result().forEach(attendance -> ids.add(attendance.activityId()));
              waiting.result().forEach(place -> ids.add(place.activityId()));
              return activities.findByIds(ids);
            })
        .map(
            found -> {
              Map<String, Activity> byId =
                  found.stream()
                      .collect(Collectors.toMap(Activity::activityId, Function.identity()));
              List<Enrollment> all = new ArrayList<>();
              enrolled.result().stream()
                  .filter(attendance -> byId.containsKey(attendance.activityId()))
                  .forEach(
                      attendance ->
                          all.add(
                              new Enrollment(
                                  byId.get(attendance.activityId()),
                                  Mine.ENROLLED,
                                  attendance.enrolledAt(),
                                  attendance)));
              waiting.result().stream()
                  .filter(place -> byId.containsKey(place.activityId()))
                  .forEach(
                      place ->
                          all.add(
                              new Enrollment(
                                  byId.get(place.activityId()),
                                  Mine.WAITLISTED,
                                  place.joinedAt(),
                                  null)));
              return page(all, past, after, limit);
            });
  }

  private Page<Enrollment> page(List<Enrollment> all, boolean past, Cursor after, int limit) {
    Instant now = clock.instant();
    Comparator<Position> earliest =
        Comparator.comparing(Position::startsAt).thenComparing(Position::activityId);
    Comparator<Position> order = past ? earliest.reversed() : earliest;
    Position from = after == null ? null : new Position(after.at(), after.id());
    List<Enrollment> chosen =
        all.stream()
            .filter(e -> past != e.activity().endsAt().isAfter(now))
            .filter(e -> from == null || order.compare(key(e), from) > 0)
            .sorted(Comparator.comparing(ActivityFinder::key, order))
            .toList();
    List<Enrollment> shown = chosen.subList(0, Math.min(limit, chosen.size()));
    String next =
        chosen.size() > limit
            ? new Cursor(
                    shown.get(shown.size() - 1).activity().startsAt(),
                    shown.get(shown.size() - 1).activity().activityId())
                .encode()
            : null;
    return new Page<>(shown, next);
  }

  /** Where an enrollment sorts: its activity's start, then its id. */
  private record Position(Instant startsAt, String activityId) {}

  private static Position key(Enrollment enrollment) {
    return new Position(enrollment.activity().startsAt(), enrollment.activity().activityId());
  }
}
