package org.civicpoints.api.service;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Consent;
import org.civicpoints.api.domain.ConsentPurpose;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.LeaderboardVisibility;
import org.civicpoints.api.domain.Member;
import org.civicpoints.api.port.Consents;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.ProfileChanges;

/**
 * A member's consents: each choice is applied, then recorded with its time and the version of the
 * text the member was shown; boards read after a change show it (they forget what they read).
 */
public final class ConsentService {

  static final int HISTORY = 100;

  private final Members members;
  private final Consents consents;
  private final Runnable boardsChanged;
  private final Clock clock;

  /** {@code boardsChanged}: makes the next leaderboard read show a change of consent. */
  public ConsentService(Members members, Consents consents, Runnable boardsChanged, Clock clock) {
    this.members = members;
    this.consents = consents;
    this.boardsChanged = boardsChanged;
    this.clock = clock;
  }

  /** A purpose's choice in force; {@code recorded} is empty while the default holds. */
  public record Current(ConsentPurpose purpose, String choice, Optional<Consent> recorded) {}

  public record MyConsents(List<Current> current, List<Consent> history) {}

  public Future<MyConsents> mine(Caller caller) {
    return existing(caller.memberId())
        .compose(
            member ->
                consents
                    .history(member.memberId(), HISTORY)
                    .map(history -> new MyConsents(current(member, history), history)));
  }

  /** A choice made on the consent screen, naming the version of the text it showed. */
  public Future<MyConsents> record(
      Caller caller, ConsentPurpose purpose, String choice, String textVersion) {
    if (!purpose.offers(choice)) {
      throw DomainException.invalidField(
          "choice", "consentChoice", Map.of("purpose", purpose.name()));
    }
    if (!purpose.textVersion().equals(textVersion)) {
      throw DomainException.invalidField(
          "textVersion", "consentTextVersion", Map.of("current", purpose.textVersion()));
    }
    return existing(caller.memberId())
        .compose(member -> apply(member.memberId(), purpose, choice))
        .compose(member -> recorded(member.memberId(), purpose, choice))
        .compose(v -> mine(caller));
  }

  /** A visibility chosen in the profile (PATCH /v1/me): recorded as that consent, current text. */
  public Future<Void> visibilityChanged(String memberId, LeaderboardVisibility visibility) {
    return recorded(memberId, ConsentPurpose.LEADERBOARD_VISIBILITY, visibility.name());
  }

  private Future<Member> apply(String memberId, ConsentPurpose purpose, String choice) {
    return switch (purpose) {
      case LEADERBOARD_VISIBILITY ->
          members.updateProfile(
              memberId,
              new ProfileChanges(
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(LeaderboardVisibility.valueOf(choice))));
      case PARTY_ON_BRANCH_BOARDS ->
          members.setPartyOnBranchBoards(memberId, "GRANTED".equals(choice));
    };
  }

  private Future<Void> recorded(String memberId, ConsentPurpose purpose, String choice) {
    Instant now = clock.instant();
    return consents
        .insert(Consent.recorded(memberId, purpose, choice, purpose.textVersion(), now))
        .onSuccess(v -> boardsChanged.run());
  }

  private static List<Current> current(Member member, List<Consent> history) {
    return Arrays.stream(ConsentPurpose.values())
        .map(
            purpose -> {
              Optional<Consent> latest =
                  history.stream().filter(c -> c.purpose() == purpose).findFirst();
              String choice =
                  purpose == ConsentPurpose.LEADERBOARD_VISIBILITY
                      ? member.leaderboardVisibility().name()
                      : latest.map(Consent::choice).orElse(purpose.defaultChoice());
              return new Current(purpose, choice, latest);
            })
        .toList();
  }

  private Future<Member> existing(String memberId) {
    return members
        .findById(memberId)
        .compose(
            member ->
                member != null && !member.deleted()
                    ? Future.succeededFuture(member)
                    : Future.failedFuture(DomainException.notFound("memberGone", Map.of())));
  }
}
