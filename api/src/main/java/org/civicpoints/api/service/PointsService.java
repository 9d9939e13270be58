package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.EntryKind;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.ExpiryPolicy;
import org.civicpoints.api.domain.LedgerFailure;
import org.civicpoints.api.domain.Redemption;
import org.civicpoints.api.port.Ledger;
import org.civicpoints.api.port.PointsReadModel;
import org.civicpoints.api.port.PointsReadModel.Balance;
import org.civicpoints.api.port.PointsReadModel.EntryView;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.port.Redemptions;

/** A member's own points: balance, entries, and receipts checked against the chain. */
public final class PointsService {

  private final PointsReadModel readModel;
  private final ProjectorCheckpoints checkpoints;
  private final Ledger ledger;
  private final ExpiryPolicy expiryPolicy;
  private final Redemptions redemptions;

  public PointsService(
      PointsReadModel readModel,
      ProjectorCheckpoints checkpoints,
      Ledger ledger,
      ExpiryPolicy expiryPolicy,
      Redemptions redemptions) {
    this.readModel = readModel;
    this.checkpoints = checkpoints;
    this.ledger = ledger;
    this.expiryPolicy = expiryPolicy;
    this.redemptions = redemptions;
  }

  public record MyPoints(Balance balance, long pending, long asOfBlock, List<Expiring> expiring) {}

  /** Points earned in {@code year} still held, gone after {@code expiresOn} (CIVIC_TIME_ZONE). */
  public record Expiring(int year, long points, LocalDate expiresOn) {}

  /**
   * One page of entries, newest first; {@code nextCursor} is null on the last page. {@code
   * rewardTitles}: the title of the reward a redemption or refund entry is about, by entry id.
   */
  public record EntriesPage(
      List<EntryView> items, String nextCursor, Map<String, String> rewardTitles) {}

  /** The chain's entry next to the read model's, and whether they agree. */
  public record Receipt(EntryView entry, boolean verified, Optional<JsonObject> chain) {}

  public Future<MyPoints> myPoints(Caller caller) {
    return Future.all(
            readModel.balance(caller.memberId()),
            readModel.pendingPoints(caller.memberId()),
            checkpoints.checkpoint(ProjectorCheckpoints.POINTS),
            expiring(caller.memberId()))
        .map(
            all ->
                new MyPoints(
                    all.resultAt(0),
                    all.<Long>resultAt(1),
                    all.<Optional<org.civicpoints.api.domain.ChainPosition>>resultAt(2)
                        .map(org.civicpoints.api.domain.ChainPosition::blockNumber)
                        .orElse(-1L),
                    all.resultAt(3)));
  }

  /** Every lot with points left, oldest first; none when points never expire. */
  private Future<List<Expiring>> expiring(String memberId) {
    if (!expiryPolicy.expires()) {
      return Future.succeededFuture(List.of());
    }
    return readModel
        .openLots(memberId)
        .map(
            lots ->
                lots.stream()
                    .map(
                        lot ->
                            new Expiring(
                                lot.year(), lot.points(), expiryPolicy.lastDayOf(lot.year())))
                    .toList());
  }

  public Future<EntriesPage> myEntries(Caller caller, String cursor, int limit) {
    Long before = decode(cursor);
    return readModel
        .entries(caller.memberId(), before, limit + 1)
        .compose(
            found -> {
              List<EntryView> page = found.subList(0, Math.min(limit, found.size()));
              String next =
                  found.size() > limit ? encode(page.get(page.size() - 1).position()) : null;
              return rewardTitles(caller, page).map(titles -> new EntriesPage(page, next, titles));
            });
  }

  /** A redemption entry's id is the redemption's; a refund's names it (rf_x… of rd_x…). */
  private Future<Map<String, String>> rewardTitles(Caller caller, List<EntryView> page) {
    Map<String, String> redemptionOf = new HashMap<>();
    for (EntryView entry : page) {
      if (entry.kind() == EntryKind.REDEMPTION) {
        redemptionOf.put(entry.entryId(), entry.entryId());
      } else if (entry.kind() == EntryKind.REFUND && entry.entryId().startsWith("rf_")) {
        redemptionOf.put(entry.entryId(), Redemption.redemptionIdOfRefund(entry.entryId()));
      }
    }
    return redemptions
        .titles(caller.memberId(), List.copyOf(new HashSet<>(redemptionOf.values())))
        .map(
            titles -> {
              Map<String, String> byEntry = new HashMap<>();
              redemptionOf.forEach(
                  (entryId, redemptionId) -> {
                    if (titles.containsKey(redemptionId)) {
                      byEntry.put(entryId, titles.get(redemptionId));
                    }
                  });
              return byEntry;
            });
  }

  /**
   * Another member's entry is answered like a missing one: its existence is not theirs to learn.
   */
  public Future<Receipt> receipt(Caller caller, String entryId) {
    return readModel
        .entry(entryId)
        .compose(
            found ->
                found.isPresent() && found.get().memberId().equals(caller.memberId())
                    ? checked(found.get())
                    : Future.failedFuture(
                        DomainException.notFound("ownEntry", Map.of("entryId", entryId))));
  }

  /**
   * The receipt of a submission's award, for whoever may see the submission (the caller checked
   * that): its entry has the submission's id; none until the chain recorded it.
   */
  public Future<Receipt> awardReceipt(String submissionId) {
    return readModel
        .entry(submissionId)
        .compose(
            found ->
                found.isPresent()
                    ? checked(found.get())
                    : Future.failedFuture(
                        DomainException.notFound(
                            "unrecordedSubmission", Map.of("submissionId", submissionId))));
  }

  private Future<Receipt> checked(EntryView entry) {
    return ledger
        .entry(entry.entryId())
        .recover(PointsService::ledgerUnavailable)
        .map(
            chain ->
                new Receipt(
                    entry, chain.map(onChain -> matches(entry, onChain)).orElse(false), chain));
  }

  /**
   * A receipt cannot be checked while the peer is unreachable: the member may retry, nothing is
   * wrong.
   */
  static <T> Future<T> ledgerUnavailable(Throwable failure) {
    if (failure instanceof LedgerFailure unreachable
        && unreachable.kind() == LedgerFailure.Kind.RETRYABLE) {
      return Future.failedFuture(
          new DomainException(ErrorCode.LEDGER_UNAVAILABLE, "tryAgain", Map.of()));
    }
    return Future.failedFuture(failure);
  }

  static boolean matches(EntryView entry, JsonObject chain) {
    return entry.entryId().equals(chain.getString("entryId"))
        && entry.memberId().equals(chain.getString("memberId"))
        && entry.kind().name().equals(chain.getString("kind"))
        && entry.points() == chain.getLong("points", Long.MIN_VALUE)
        && entry.txId().equals(chain.getString("txId"));
  }

  private static String encode(long position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("p" + position).getBytes(StandardCharsets.UTF_8));
  }

  private static Long decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!raw.startsWith("p")) {
        throw new IllegalArgumentException("not a position cursor");
      }
      return Long.parseLong(raw.substring(1));
    } catch (IllegalArgumentException notOurs) {
      throw DomainException.invalidField("query.cursor", "notOurCursor", Map.of());
    }
  }
}
