package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.ErrorCode;
import org.civicpoints.api.domain.FieldError;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.port.OrgUnits;
import org.civicpoints.api.service.OrgUnitCsv.LineError;
import org.civicpoints.api.service.OrgUnitImport.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admins create, rename, re-code and retire org units, one at a time or as a CSV of a whole tree.
 * Every change is checked against a fresh load of the units, written, audited, and then seen by
 * this instance at once (others within {@link OrganisationService#REFRESH}).
 */
public final class OrgUnitService {

  private static final Logger LOG = LoggerFactory.getLogger(OrgUnitService.class);

  /** How many line errors an import report lists (the count is always whole). */
  static final int LISTED_ERRORS = 100;

  private final OrgUnits orgUnits;
  private final OrganisationService organisation;
  private final AuditLog audit;
  private final Clock clock;

  public OrgUnitService(
      OrgUnits orgUnits, OrganisationService organisation, AuditLog audit, Clock clock) {
    this.orgUnits = orgUnits;
    this.organisation = organisation;
    this.audit = audit;
    this.clock = clock;
  }

  public record NewOrgUnit(Kind kind, String name, String parentId, String code) {}

  public record OrgUnitQuery(Kind kind, String parentId, boolean includeRetired) {}

  /** What an import did (or, on a dry run, would do). */
  public record ImportReport(
      boolean dryRun,
      int rows,
      int created,
      int renamed,
      int unchanged,
      int errorCount,
      List<LineError> errors) {}

  public Future<OrgUnit> create(Caller caller, NewOrgUnit request) {
    return reloadedForAdmin(caller)
        .compose(
            current -> {
              OrgUnit unit = newUnit(current, request);
              return orgUnits
                  .write(List.of(unit), List.of())
                  .recover(OrgUnitService::codeTaken)
                  .compose(v -> audited(caller, "ORG_UNIT_CREATE", null, unit));
            });
  }

  public Future<Page<OrgUnit>> list(Caller caller, OrgUnitQuery query, String cursor, int limit) {
    requireAdmin(caller);
    String after = decodeCursor(cursor);
    List<OrgUnit> matching =
        organisation.organisation().units().stream()
            .filter(unit -> query.includeRetired() || unit.active())
            .filter(unit -> query.kind() == null || unit.kind() == query.kind())
            .filter(unit -> query.parentId() == null || query.parentId().equals(unit.parentId()))
            .filter(unit -> after == null || unit.unitId().compareTo(after) > 0)
            .limit(limit + 1L)
            .toList();
    boolean more = matching.size() > limit;
    List<OrgUnit> items = more ? matching.subList(0, limit) : matching;
    return Future.succeededFuture(
        new Page<>(items, more ? encodeCursor(items.get(limit - 1).unitId()) : null));
  }

  public Future<OrgUnit> get(Caller caller, String unitId) {
    requireAdmin(caller);
    return Future.succeededFuture(existing(organisation.organisation(), unitId));
  }

  /** Renames or re-codes an active unit; absent fields keep their value. */
  public Future<OrgUnit> update(
      Caller caller, String unitId, Optional<String> name, Optional<String> code) {
    requireAdmin(caller);
    name.flatMap(OrgUnit::nameProblem).ifPresent(p -> fail("name", p));
    code.flatMap(OrgUnit::codeProblem).ifPresent(p -> fail("code", p));
    return organisation
        .reload()
        .compose(
            current -> {
              OrgUnit before = existing(current, unitId);
              if (!before.active()) {
                throw retiredError(unitId);
              }
              code.flatMap(current::byCode)
                  .filter(holder -> !holder.unitId().equals(unitId))
                  .ifPresent(
                      holder -> {
                        throw codeTakenError(holder.code());
                      });
              return orgUnits
                  .update(unitId, name.orElse(before.name()).strip(), code.orElse(before.code()))
                  .recover(OrgUnitService::codeTaken)
                  .compose(
                      after ->
                          after == null
                              ? Future.failedFuture(retiredError(unitId))
                              : audited(caller, "ORG_UNIT_UPDATE", before, after));
            });
  }

  /**
   * Retires a unit whose children are all retired (bottom-up, so no active unit hangs under a
   * retired one). Retiring a retired unit answers it as it is.
   */
  public Future<OrgUnit> retire(Caller caller, String unitId) {
    return reloadedForAdmin(caller)
        .compose(
            current -> {
              OrgUnit before = existing(current, unitId);
              if (!before.active()) {
                return Future.succeededFuture(before);
              }
              if (current.hasActiveChildren(unitId)) {
                throw new DomainException(
                    ErrorCode.ORG_UNIT_HAS_CHILDREN, "retireBelowFirst", Map.of("unitId", unitId));
              }
              return orgUnits
                  .retire(unitId, clock.instant())
                  .compose(
                      after ->
                          after == null
                              ? Future.succeededFuture(existing(current, unitId))
                              : audited(caller, "ORG_UNIT_RETIRE", before, after));
            });
  }

  /** Judges the whole file; applies it only when {@code dryRun} is false and no line has errors. */
  public Future<ImportReport> importCsv(Caller caller, byte[] csv, boolean dryRun) {
    return reloadedForAdmin(caller)
        .compose(
            current -> {
              Plan plan =
                  OrgUnitImport.plan(OrgUnitCsv.parse(csv), current, code -> Ids.orgUnitId());
              if (dryRun) {
                return Future.succeededFuture(report(plan, true));
              }
              if (!plan.valid()) {
                throw rejected(plan);
              }
              return applied(plan)
                  .compose(
                      v ->
                          audit.record(
                              caller.memberId(),
                              "ORG_UNIT_IMPORT",
                              "org-units",
                              null,
                              counts(plan),
                              null))
                  .map(report(plan, false));
            });
  }

  /**
   * Imports the dev server's demo city; its units take their codes as ids, so the examples, tests
   * and Postman requests can name them.
   */
  public Future<Void> seed(byte[] csv, UnaryOperator<String> idOfCode) {
    return organisation
        .reload()
        .compose(
            current -> {
              Plan plan = OrgUnitImport.plan(OrgUnitCsv.parse(csv), current, idOfCode);
              if (!plan.valid()) {
                // A dev store whose tree an admin changed still starts; it just has no demo city.
                LOG.warn("The demo city was not imported: {}", plan.errors());
                return Future.succeededFuture();
              }
              return applied(plan);
            });
  }

  private Future<Void> applied(Plan plan) {
    return orgUnits
        .write(plan.created(), plan.renamed())
        .recover(OrgUnitService::codeTaken)
        .compose(v -> organisation.reload())
        .mapEmpty();
  }

  private OrgUnit newUnit(Organisation current, NewOrgUnit request) {
    OrgUnit.nameProblem(request.name()).ifPresent(p -> fail("name", p));
    OrgUnit.codeProblem(request.code()).ifPresent(p -> fail("code", p));
    OrgUnit parent = null;
    if (request.parentId() != null) {
      parent =
          current
              .unit(request.parentId())
              .orElseThrow(() -> DomainException.invalidField("parentId", "notOrgUnit", Map.of()));
    }
    current
        .misplacement(request.kind(), parent)
        .ifPresent(p -> fail(request.parentId() == null ? "kind" : "parentId", p));
    if (current.byCode(request.code()).isPresent()) {
      throw codeTakenError(request.code());
    }
    return new OrgUnit(
        Ids.orgUnitId(),
        request.kind(),
        request.name().strip(),
        request.parentId(),
        request.code(),
        null);
  }

  private Future<OrgUnit> audited(Caller caller, String action, OrgUnit before, OrgUnit after) {
    return audit
        .record(
            caller.memberId(),
            action,
            after.unitId(),
            before == null ? null : state(before),
            state(after),
            after.kind() == Kind.COMMUNITY ? after.unitId() : null)
        .compose(v -> organisation.reload())
        .map(after);
  }

  private static JsonObject state(OrgUnit unit) {
    JsonObject state = new JsonObject().put("kind", unit.kind().name()).put("name", unit.name());
    state.put("code", unit.code()).put("parentId", unit.parentId());
    return unit.active() ? state : state.put("retiredAt", unit.retiredAt().toString());
  }

  private static JsonObject counts(Plan plan) {
    return new JsonObject()
        .put("rows", plan.rows())
        .put("created", plan.created().size())
        .put("renamed", plan.renamed().size())
        .put("unchanged", plan.unchanged());
  }

  private static ImportReport report(Plan plan, boolean dryRun) {
    return new ImportReport(
        dryRun,
        plan.rows(),
        plan.created().size(),
        plan.renamed().size(),
        plan.unchanged(),
        plan.errors().size(),
        plan.errors().stream().limit(LISTED_ERRORS).toList());
  }

  private static DomainException rejected(Plan plan) {
    return new DomainException(
        ErrorCode.ORG_IMPORT_REJECTED,
        Text.of("ORG_IMPORT_REJECTED.lines", Map.of("lines", plan.errors().size())),
        plan.errors().stream()
            .limit(LISTED_ERRORS)
            .map(error -> new FieldError("line " + error.line(), error.message()))
            .toList());
  }

  private static OrgUnit existing(Organisation current, String unitId) {
    return current
        .unit(unitId)
        .orElseThrow(() -> DomainException.notFound("orgUnit", Map.of("unitId", unitId)));
  }

  private static <T> Future<T> codeTaken(Throwable failure) {
    return Future.failedFuture(
        failure instanceof OrgUnits.CodeTaken
            ? new DomainException(ErrorCode.ORG_UNIT_CODE_TAKEN, "taken", Map.of())
            : failure);
  }

  private static DomainException retiredError(String unitId) {
    return new DomainException(ErrorCode.INVALID_STATE, "unitRetired", Map.of("unitId", unitId));
  }

  private static DomainException codeTakenError(String code) {
    return new DomainException(ErrorCode.ORG_UNIT_CODE_TAKEN, "takenCode", Map.of("code", code));
  }

  private static String encodeCursor(String unitId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(unitId.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notOurs) {
      throw DomainException.invalidField("query.cursor", "notOurCursor", Map.of());
    }
  }

  private static void fail(String field, Text problem) {
    throw DomainException.invalid(List.of(new FieldError(field, problem)));
  }

  /** An administrator's change is judged against the units as stored now, not the snapshot. */
  private Future<Organisation> reloadedForAdmin(Caller caller) {
    requireAdmin(caller);
    return organisation.reload();
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.isAdmin()) {
      throw DomainException.forbidden("orgUnitsAdminOnly", Map.of());
    }
  }
}
