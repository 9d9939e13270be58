package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.PointRule;
import org.civicpoints.api.port.PointRules;

/**
 * Point rules: admins create and change them; every stored version is queued for the ledger
 * (PutRule through the relay) and audited. Anyone signed in may read them.
 */
public final class PointRuleService {

  private final PointRules rules;
  private final AuditLog audit;
  private final Clock clock;

  public PointRuleService(PointRules rules, AuditLog audit, Clock clock) {
    this.rules = rules;
    this.audit = audit;
    this.clock = clock;
  }

  public record NewRule(
      Category category, long points, long dailyCap, long yearlyCap, String title) {}

  /** Absent fields keep their value. */
  public record RuleChange(
      Optional<Long> points,
      Optional<Long> dailyCap,
      Optional<Long> yearlyCap,
      Optional<String> title,
      Optional<Boolean> active) {}

  public Future<PointRule> create(Caller caller, NewRule request) {
    requireAdmin(caller);
    requireCapsFit(request.points(), request.dailyCap(), request.yearlyCap());
    Instant now = clock.instant();
    PointRule rule =
        new PointRule(
            Ids.ruleId(),
            1,
            request.category(),
            request.points(),
            request.dailyCap(),
            request.yearlyCap(),
            request.title(),
            true,
            now,
            now,
            "QUEUED");
    return rules
        .insert(rule)
        .compose(
            v ->
                audit.record(
                    caller.memberId(), "RULE_CREATE", rule.ruleId(), null, summary(rule), null))
        .map(rule);
  }

  public Future<List<PointRule>> list() {
    return rules.all();
  }

  public Future<PointRule> get(String ruleId) {
    return existing(ruleId);
  }

  /**
   * A change is a new version (version + 1) queued for the ledger; past entries keep their version.
   */
  public Future<PointRule> change(Caller caller, String ruleId, RuleChange change) {
    requireAdmin(caller);
    return existing(ruleId)
        .compose(
            current -> {
              // The chain takes versions strictly 1, 2, 3 …: a new version waits until the ledger
              // has the current one.
              if (!"DONE".equals(current.ledgerState())) {
                throw new DomainException(
                    ErrorCode.INVALID_STATE,
                    "ruleVersionPending",
                    Map.of(
                        "version",
                        current.version(),
                        "ruleId",
                        ruleId,
                        "ledgerState",
                        current.ledgerState()));
              }
              PointRule next =
                  new PointRule(
                      ruleId,
                      current.version() + 1,
                      current.category(),
                      change.points().orElse(current.points()),
                      change.dailyCap().orElse(current.dailyCap()),
                      change.yearlyCap().orElse(current.yearlyCap()),
                      change.title().orElse(current.title()),
                      change.active().orElse(current.active()),
                      current.createdAt(),
                      clock.instant(),
                      "QUEUED");
              requireCapsFit(next.points(), next.dailyCap(), next.yearlyCap());
              return rules
                  .replace(next, current.version())
                  .compose(
                      stored ->
                          stored != null
                              ? audit
                                  .record(
                                      caller.memberId(),
                                      "RULE_CHANGE",
                                      ruleId,
                                      summary(current),
                                      summary(stored),
                                      null)
                                  .map(stored)
                              : Future.failedFuture(
                                  new DomainException(
                                      ErrorCode.INVALID_STATE,
                                      "ruleChangedMeanwhile",
                                      Map.of("ruleId", ruleId))));
            });
  }

  private Future<PointRule> existing(String ruleId) {
    return rules
        .findById(ruleId)
        .compose(
            rule ->
                rule != null
                    ? Future.succeededFuture(rule)
                    : Future.failedFuture(
                        DomainException.notFound("rule", Map.of("ruleId", ruleId))));
  }

  /** A cap below the points of one unit could never be reached by a single award. */
  private static void requireCapsFit(long points, long dailyCap, long yearlyCap) {
    if (dailyCap > 0 && dailyCap < points) {
      throw DomainException.invalidField("dailyCap", "dailyCap", Map.of());
    }
    if (yearlyCap > 0 && (yearlyCap < points || (dailyCap > 0 && yearlyCap < dailyCap))) {
      throw DomainException.invalidField("yearlyCap", "yearlyCap", Map.of());
    }
  }

  static JsonObject summary(PointRule rule) {
    return new JsonObject()
        .put("version", rule.version())
        .put("category", rule.category().name())
        .put("points", rule.points())
        .put("dailyCap", rule.dailyCap())
        .put("yearlyCap", rule.yearlyCap())
        .put("active", rule.active());
  }

  static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw DomainException.forbidden("admin", Map.of());
    }
  }
}
