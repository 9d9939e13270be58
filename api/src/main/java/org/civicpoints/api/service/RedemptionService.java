package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.CivicCalendar;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Redemption;
import org.civicpoints.api.domain.Redemption.Status;
import org.civicpoints.api.domain.Reward;
import org.civicpoints.api.port.Redemptions;
import org.civicpoints.api.port.Rewards;

/**
 * Members redeem rewards, idempotently by their Idempotency-Key. A redemption first takes what it
 * needs — a slot of the member's monthly and yearly limit (one counter document each, taken by a
 * conditional upsert) and a unit of a limited stock (a conditional decrement), each naming the
 * redemption that holds it — then its Redeem command (the outbox, written with it) is queued;
 * whatever a refused request took is given back at once. The relay sends the command; the chain's
 * refusal (INSUFFICIENT_POINTS …) gives it all back ({@link #release}). Staff of the reward's scope
 * hand it out against its pickup code.
 */
public final class RedemptionService {

  private final Redemptions redemptions;
  private final Rewards rewards;
  private final RewardService catalog;
  private final AuditLog auditLog;
  private final Clock clock;
  private final CivicCalendar calendar;

  public RedemptionService(
      Redemptions redemptions,
      Rewards rewards,
      RewardService catalog,
      AuditLog auditLog,
      Clock clock) {
    this.redemptions = redemptions;
    this.rewards = rewards;
    this.catalog = catalog;
    this.auditLog = auditLog;
    this.clock = clock;
    this.calendar = new CivicCalendar(clock);
  }

  /**
   * A replay answers the first request's redemption, whatever its status now, once one left
   * reserving by a crash is taken up.
   */
  public Future<Redemption> redeem(Caller caller, String rewardId, String idempotencyKey) {
    return redemptions
        .findByIdempotencyKey(caller.memberId(), idempotencyKey)
        .compose(
            earlier ->
                earlier.isPresent()
                    ? replay(earlier.get(), rewardId)
                    : catalog
                        .redeemable(caller, rewardId)
                        .compose(reward -> reserve(caller, reward, idempotencyKey)));
  }

  public Future<Redemption> get(Caller caller, String redemptionId) {
    return redemptions
        .find(redemptionId)
        .map(
            found -> {
              if (found.isEmpty() || !mayRead(caller, found.get())) {
                throw notFound(redemptionId);
              }
              return found.get();
            });
  }

  public Future<Page<Redemption>> listMine(Caller caller, String cursor, int limit) {
    return redemptions.listOfMember(caller.memberId(), Cursor.decode(cursor), limit);
  }

  /** A reward's redemptions (of a status, made on a day), for the staff who hand it out. */
  public Future<Page<Redemption>> listOfReward(
      Caller caller, String rewardId, Status status, LocalDate day, String cursor, int limit) {
    Cursor after = Cursor.decode(cursor);
    return catalog
        .managed(caller, rewardId)
        .compose(
            reward -> redemptions.listOfReward(selection(rewardId, status, day), after, limit));
  }

  /**
   * Every redemption of a reward (of a status, made on a day), for its managers' export; audited.
   */
  public Future<List<Redemption>> export(
      Caller caller, String rewardId, Status status, LocalDate day, String format) {
    return catalog
        .managed(caller, rewardId)
        .compose(reward -> redemptions.allOfReward(selection(rewardId, status, day)))
        .compose(
            all ->
                auditLog
                    .record(
                        caller.memberId(),
                        "redemption.export",
                        rewardId,
                        null,
                        new JsonObject()
                            .put("status", status == null ? null : status.name())
                            .put("day", day == null ? null : day.toString())
                            .put("format", format)
                            .put("rows", all.size()),
                        null)
                    .map(all));
  }

  /** A day is a day of the civic time zone. */
  private Redemptions.OfReward selection(String rewardId, Status status, LocalDate day) {
    if (day == null) {
      return new Redemptions.OfReward(rewardId, status, null, null);
    }
    return new Redemptions.OfReward(
        rewardId,
        status,
        day.atStartOfDay(calendar.zone()).toInstant(),
        day.plusDays(1).atStartOfDay(calendar.zone()).toInstant());
  }

  /**
   * Staff of the reward's scope hand a REDEEMED reward out against its pickup code; never their
   * own.
   */
  public Future<Redemption> fulfil(
      Caller caller, String redemptionId, String pickupCode, String place) {
    return staffed(caller, redemptionId)
        .compose(
            redemption -> {
              if (redemption.status() != Status.REDEEMED) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "notFulfillable",
                    Map.of("redemptionId", redemptionId, "status", redemption.status()));
              }
              if (!redemption.pickupCode().equals(pickupCode)) {
                throw new DomainException(
                    ErrorCode.WRONG_PICKUP_CODE,
                    "pickupCode",
                    Map.of("redemptionId", redemptionId));
              }
              return placeOf(redemption, place)
                  .compose(
                      where ->
                          redemptions
                              .fulfil(
                                  redemptionId,
                                  pickupCode,
                                  caller.memberId(),
                                  where,
                                  clock.instant())
                              .compose(done -> fulfilled(caller, redemption, where, done)));
            });
  }

  /** Who cancels, as the chain's refund names it (no free text, so no personal data on chain). */
  public static final String CANCELLED_BY_MEMBER = "CANCELLED_BY_MEMBER";

  public static final String CANCELLED_BY_STAFF = "CANCELLED_BY_STAFF";
  public static final String NOT_PICKED_UP = "NOT_PICKED_UP";

  /** The system's actor id on the chain for cancellations nobody asked for. */
  public static final String SYSTEM = "system";

  /**
   * Its member (before pickup) or staff of the reward's scope cancel a REDEEMED redemption: it
   * turns CANCELLED with its refund queued for the ledger, and its stock and limit slots come back.
   */
  public Future<Redemption> cancel(Caller caller, String redemptionId, String reason) {
    return redemptions
        .find(redemptionId)
        .compose(
            found -> {
              if (found.isEmpty() || !mayRead(caller, found.get())) {
                throw notFound(redemptionId);
              }
              Redemption redemption = found.get();
              if (redemption.status() != Status.REDEEMED) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "notCancellable",
                    Map.of("redemptionId", redemptionId, "status", redemption.status()));
              }
              boolean own = redemption.memberId().equals(caller.memberId());
              return cancelled(
                  redemption,
                  caller.memberId(),
                  reason,
                  own ? CANCELLED_BY_MEMBER : CANCELLED_BY_STAFF);
            })
        .compose(
            done -> {
              if (!done) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "redemptionChangedMeanwhile",
                    Map.of("redemptionId", redemptionId));
              }
              return redemptions.find(redemptionId).map(Optional::orElseThrow);
            });
  }

  /**
   * Cancels, with a refund, what was not picked up by its deadline: up to {@code batch} of them;
   * answers how many. Safe to repeat and to run anywhere: each is one compare-and-set.
   */
  public Future<Integer> cancelOverdue(int batch) {
    return redemptions
        .overdue(clock.instant(), batch)
        .compose(
            overdue -> {
              List<Future<Boolean>> cancelled =
                  overdue.stream()
                      .map(
                          redemption -> cancelled(redemption, SYSTEM, NOT_PICKED_UP, NOT_PICKED_UP))
                      .toList();
              return Future.all(cancelled)
                  .map(all -> (int) all.<Boolean>list().stream().filter(b -> b).count());
            });
  }

  /** The compare-and-set, then the stock and slots back and the audit; false if it lost. */
  private Future<Boolean> cancelled(
      Redemption redemption, String actor, String reason, String chainReason) {
    String id = redemption.redemptionId();
    return redemptions
        .cancel(id, actor, reason, chainReason, clock.instant())
        .compose(
            done ->
                !done
                    ? Future.succeededFuture(false)
                    : release(List.of(id))
                        .compose(
                            v ->
                                auditLog.record(
                                    actor,
                                    "redemption.cancel",
                                    id,
                                    new JsonObject().put("status", Status.REDEEMED.name()),
                                    new JsonObject()
                                        .put("status", Status.CANCELLED.name())
                                        .put("reason", chainReason)
                                        .put("rewardId", redemption.rewardId()),
                                    null))
                        .map(true));
  }

  /** Where it is handed out: as staff say, else the reward's pickup place. */
  private Future<String> placeOf(Redemption redemption, String place) {
    return place != null
        ? Future.succeededFuture(place)
        : rewards
            .find(redemption.rewardId())
            .map(reward -> reward.map(Reward::pickupPlace).orElse(null));
  }

  /**
   * Gives back what failed (or cancelled) redemptions reserved. Each stock unit and limit slot
   * names its holder, so whoever repeats it (the relay, a cancellation, the repair) returns it
   * once.
   */
  public Future<Void> release(List<String> redemptionIds) {
    List<Future<Void>> released = new ArrayList<>();
    for (String id : redemptionIds) {
      released.add(
          redemptions
              .find(id)
              .compose(
                  found ->
                      found.isEmpty()
                          ? Future.succeededFuture()
                          : giveBack(found.get()).compose(v -> redemptions.markReleased(id))));
    }
    return Future.all(released).mapEmpty();
  }

  /** Why a reservation whose request died midway failed. */
  public static final String INTERRUPTED = "INTERRUPTED";

  /** Longer than any request takes between writing a redemption and queueing it. */
  static final Duration INTERRUPTED_AFTER = Duration.ofMinutes(2);

  /**
   * Repairs what a crash left behind: a redemption still RESERVING well after its request began (it
   * died between writing it and queueing it) fails as INTERRUPTED, and whatever it, or a FAILED or
   * CANCELLED one not released, still holds is given back. Answers how many it looked at.
   */
  public Future<Integer> repairInterrupted(int batch) {
    Instant now = clock.instant();
    return redemptions
        .interrupted(now.minus(INTERRUPTED_AFTER), batch)
        .compose(
            found ->
                Future.all(found.stream().map(redemption -> repaired(redemption, now)).toList())
                    .map(found.size()));
  }

  private Future<Void> repaired(Redemption redemption, Instant now) {
    String id = redemption.redemptionId();
    if (redemption.status() != Status.PENDING) {
      return release(List.of(id));
    }
    return redemptions
        .giveUp(id, INTERRUPTED, now)
        .compose(given -> given ? release(List.of(id)) : Future.succeededFuture());
  }

  private Future<Redemption> fulfilled(
      Caller caller, Redemption redemption, String place, boolean done) {
    if (!done) {
      throw new DomainException(
          ErrorCode.INVALID_STATE,
          "redemptionChangedMeanwhile",
          Map.of("redemptionId", redemption.redemptionId()));
    }
    return auditLog
        .record(
            caller.memberId(),
            "redemption.fulfil",
            redemption.redemptionId(),
            new JsonObject().put("status", Status.REDEEMED.name()),
            new JsonObject()
                .put("status", Status.FULFILLED.name())
                .put("place", place)
                .put("rewardId", redemption.rewardId()),
            null)
        .compose(
            v ->
                redemption.stockReserved()
                    ? rewards.handedOut(redemption.rewardId(), redemption.redemptionId())
                    : Future.succeededFuture())
        .compose(v -> redemptions.find(redemption.redemptionId()))
        .map(Optional::orElseThrow);
  }

  /** The redemption when the caller is staff of its reward's scope (not its member), else 404. */
  private Future<Redemption> staffed(Caller caller, String redemptionId) {
    return redemptions
        .find(redemptionId)
        .map(
            found -> {
              if (found.isEmpty() || !catalog.manages(caller, found.get().scope())) {
                throw notFound(redemptionId);
              }
              if (found.get().memberId().equals(caller.memberId())) {
                throw new DomainException(
                    ErrorCode.SELF_DECISION, "ownRedemption", Map.of("redemptionId", redemptionId));
              }
              return found.get();
            });
  }

  private boolean mayRead(Caller caller, Redemption redemption) {
    return redemption.memberId().equals(caller.memberId())
        || catalog.manages(caller, redemption.scope());
  }

  /**
   * The first request's redemption; one that request left reserving when its process died is taken
   * up first ({@link #takenUp}).
   */
  private Future<Redemption> replay(Redemption earlier, String rewardId) {
    return Idempotent.replay(earlier, earlier.rewardId().equals(rewardId), "redemption")
        .compose(this::takenUp);
  }

  /** Longer than a live request takes between writing its redemption and queueing it. */
  static final Duration ABANDONED_AFTER = Duration.ofSeconds(5);

  /**
   * A redemption still reserving well after its request began (its process died): queued for the
   * ledger if it holds all it needs, else given up as INTERRUPTED with what it holds given back —
   * so a retry after a crash answers what becomes of it, not a PENDING that waits for the repair.
   * Never takes anything: only its own request does, so a request still alive loses nothing.
   */
  private Future<Redemption> takenUp(Redemption redemption) {
    if (!redemption.reserving()
        || redemption.createdAt().isAfter(clock.instant().minus(ABANDONED_AFTER))) {
      return Future.succeededFuture(redemption);
    }
    String id = redemption.redemptionId();
    return holdsAll(redemption)
        .compose(
            whole ->
                whole
                    ? redemptions.queue(id).<Void>mapEmpty()
                    : redemptions
                        .giveUp(id, INTERRUPTED, clock.instant())
                        .compose(given -> given ? release(List.of(id)) : Future.succeededFuture()))
        .compose(v -> redemptions.find(id))
        .map(Optional::orElseThrow);
  }

  private Future<Boolean> holdsAll(Redemption redemption) {
    String id = redemption.redemptionId();
    List<Future<Boolean>> held = new ArrayList<>();
    for (String counter : counters(redemption)) {
      held.add(redemptions.holdsSlot(counter, id));
    }
    if (redemption.stockReserved()) {
      held.add(rewards.holdsStock(redemption.rewardId(), id));
    }
    return Future.all(held).map(all -> all.<Boolean>list().stream().allMatch(b -> b));
  }

  /**
   * The redemption is written first, RESERVING (the relay leaves it alone), then takes its month
   * slot, year slot and stock, each in its name, and is queued for the ledger. Whatever a request
   * that dies midway holds stays findable by the redemption, and {@link #repairInterrupted} gives
   * it back.
   */
  private Future<Redemption> reserve(Caller caller, Reward reward, String key) {
    Redemption redemption = newRedemption(caller, reward, key);
    return redemptions
        .insert(redemption)
        .compose(
            inserted ->
                inserted
                    ? hold(redemption, reward)
                    : redemptions
                        .findByIdempotencyKey(caller.memberId(), key)
                        .compose(winner -> replay(winner.orElseThrow(), reward.rewardId())));
  }

  private Future<Redemption> hold(Redemption redemption, Reward reward) {
    String id = redemption.redemptionId();
    return take(monthSlot(redemption, reward))
        .compose(v -> take(yearSlot(redemption, reward)))
        .compose(v -> take(stock(redemption, reward)))
        .compose(v -> redemptions.queue(id))
        .compose(queued -> queued ? Future.succeededFuture(redemption) : asItIs(id))
        .recover(failure -> refused(redemption, failure));
  }

  /**
   * A redemption its request could not queue: given up meanwhile (by the repair or a retry of the
   * request, FAILED), what the request took after that goes back too; queued by a retry, it stays.
   */
  private Future<Redemption> asItIs(String redemptionId) {
    return redemptions
        .find(redemptionId)
        .map(Optional::orElseThrow)
        .compose(
            now ->
                now.status() == Status.FAILED
                    ? release(List.of(redemptionId)).map(now)
                    : Future.succeededFuture(now));
  }

  /**
   * A refusal (or an error) while reserving: unless it was queued or given up after all, it gives
   * back what it took and is discarded, so the key can be used again; the failure goes to the
   * caller.
   */
  private Future<Redemption> refused(Redemption redemption, Throwable failure) {
    String id = redemption.redemptionId();
    String reason =
        failure instanceof DomainException refusal ? refusal.code().name() : INTERRUPTED;
    return redemptions
        .giveUp(id, reason, clock.instant())
        .compose(
            given ->
                given
                    ? release(List.of(id)).compose(v -> redemptions.discard(id))
                    : asItIs(id).mapEmpty())
        .transform(v -> Future.failedFuture(failure));
  }

  /** Something a redemption holds until it is released, and why it is refused. */
  private record Reservation(Supplier<Future<Boolean>> take, DomainException refusal) {}

  private static Future<Void> take(Optional<Reservation> reservation) {
    if (reservation.isEmpty()) {
      return Future.succeededFuture();
    }
    return reservation
        .get()
        .take()
        .get()
        .map(
            granted -> {
              if (!granted) {
                throw reservation.get().refusal();
              }
              return null;
            });
  }

  private Future<Void> giveBack(Redemption redemption) {
    List<Future<Void>> given = new ArrayList<>();
    for (String counter : counters(redemption)) {
      given.add(redemptions.returnSlot(counter, redemption.redemptionId()));
    }
    if (redemption.stockReserved()) {
      given.add(rewards.returnStock(redemption.rewardId(), redemption.redemptionId()));
    }
    return Future.all(given).mapEmpty();
  }

  private Optional<Reservation> monthSlot(Redemption redemption, Reward reward) {
    return slot(redemption, redemption.month(), reward.limitPerMonth(), "perMonth");
  }

  private Optional<Reservation> yearSlot(Redemption redemption, Reward reward) {
    return slot(redemption, redemption.year(), reward.limitPerYear(), "perYear");
  }

  /**
   * Counters exist for limited rewards only; returning a slot of a counter that never existed
   * changes nothing.
   */
  private Optional<Reservation> slot(
      Redemption redemption, String period, Integer limit, String detailKey) {
    if (limit == null) {
      return Optional.empty();
    }
    String counter = counter(redemption, period);
    return Optional.of(
        new Reservation(
            () -> redemptions.takeSlot(counter, limit, redemption.redemptionId()),
            new DomainException(
                ErrorCode.REDEMPTION_LIMIT_REACHED,
                detailKey,
                Map.of("rewardId", redemption.rewardId(), "limit", limit, "period", period))));
  }

  private Optional<Reservation> stock(Redemption redemption, Reward reward) {
    if (reward.stock() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Reservation(
            () -> rewards.takeStock(reward.rewardId(), redemption.redemptionId()),
            new DomainException(
                ErrorCode.OUT_OF_STOCK, "none", Map.of("rewardId", reward.rewardId()))));
  }

  private static String counter(Redemption redemption, String period) {
    return redemption.memberId() + "|" + redemption.rewardId() + "|" + period;
  }

  /** The limit counters whose slots the redemption takes (none for a reward without limits). */
  private static List<String> counters(Redemption redemption) {
    return Stream.of(redemption.month(), redemption.year())
        .filter(Objects::nonNull)
        .map(period -> counter(redemption, period))
        .toList();
  }

  private Redemption newRedemption(Caller caller, Reward reward, String key) {
    Instant now = clock.instant();
    LocalDate today = calendar.today();
    return new Redemption(
        Ids.redemptionId(),
        caller.memberId(),
        reward.rewardId(),
        reward.scope(),
        reward.title(),
        reward.pointsCost(),
        reward.pickupDeadlineDays(),
        Status.PENDING,
        null,
        key,
        reward.limitPerMonth() == null ? null : today.toString().substring(0, 7),
        reward.limitPerYear() == null ? null : String.valueOf(today.getYear()),
        reward.stock() != null,
        true,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        now,
        now);
  }

  private static DomainException notFound(String redemptionId) {
    return DomainException.notFound("redemption", Map.of("redemptionId", redemptionId));
  }
}
