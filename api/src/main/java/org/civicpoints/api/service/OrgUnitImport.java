package org.civicpoints.api.service;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.civicpoints.api.domain.OrgUnit;
import org.civicpoints.api.domain.OrgUnit.Kind;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.service.OrgUnitCsv.LineError;
import org.civicpoints.api.service.OrgUnitCsv.Row;

/**
 * What importing a CSV would do to the org tree, judged whole before anything is written: units to
 * create (parents first), units to rename, units already as the file says, and every line's errors.
 * Units are matched by code; a unit never moves, changes kind or comes back from retirement through
 * an import, and units missing from the file are left as they are.
 */
final class OrgUnitImport {

  record Plan(
      int rows,
      List<OrgUnit> created,
      List<OrgUnit> renamed,
      int unchanged,
      List<LineError> errors) {

    boolean valid() {
      return errors.isEmpty();
    }
  }

  private final Organisation organisation;
  private final UnaryOperator<String> idOfCode;
  private final Map<String, OrgUnit> placed = new HashMap<>();
  private final Map<String, Row> rowOfCode = new HashMap<>();
  private final Map<String, Integer> lineOfCode = new HashMap<>();
  private final Set<Integer> refusedLines = new HashSet<>();
  private final List<OrgUnit> created = new ArrayList<>();
  private final List<OrgUnit> renamed = new ArrayList<>();
  private final List<LineError> errors = new ArrayList<>();
  private int unchanged;

  private OrgUnitImport(Organisation organisation, UnaryOperator<String> idOfCode) {
    this.organisation = organisation;
    this.idOfCode = idOfCode;
  }

  /** {@code idOfCode} names each unit the file creates, given its code. */
  static Plan plan(
      OrgUnitCsv.Parsed csv, Organisation organisation, UnaryOperator<String> idOfCode) {
    OrgUnitImport plan = new OrgUnitImport(organisation, idOfCode);
    plan.errors.addAll(csv.errors());
    csv.rows().forEach(row -> plan.rowOfCode.putIfAbsent(row.code(), row));
    // Parents' kinds come before their children's, so a parent is placed before its children
    // wherever it is in the file.
    csv.rows().stream()
        .sorted(Comparator.comparingInt((Row row) -> rank(row.kind())).thenComparing(Row::line))
        .forEach(plan::place);
    plan.errors.sort(Comparator.comparingInt(LineError::line));
    return new Plan(
        csv.rows().size(), plan.created, plan.renamed, plan.unchanged, List.copyOf(plan.errors));
  }

  private void place(Row row) {
    Optional<Text> problem = fieldProblem(row);
    if (problem.isPresent()) {
      refuse(row, problem.get());
      return;
    }
    Integer earlier = lineOfCode.putIfAbsent(row.code(), row.line());
    if (earlier != null) {
      refuse(row, "duplicateCode", Map.of("code", row.code(), "line", earlier));
      return;
    }
    Kind kind = Kind.valueOf(row.kind());
    Optional<OrgUnit> existing = organisation.byCode(row.code());
    Optional<Text> parentProblem = parentProblem(row, kind);
    if (parentProblem.isPresent()) {
      refuse(row, parentProblem.get());
    } else if (existing.isPresent()) {
      match(row, kind, existing.get());
    } else {
      create(row, kind);
    }
  }

  private void match(Row row, Kind kind, OrgUnit unit) {
    OrgUnit parent = parentOf(row);
    if (!unit.active()) {
      refuse(row, "retired", Map.of("code", row.code()));
    } else if (unit.kind() != kind) {
      refuse(row, "otherKind", Map.of("code", row.code(), "kind", unit.kind(), "fileKind", kind));
    } else if (!Objects.equals(unit.parentId(), parent == null ? null : parent.unitId())) {
      refuse(row, "otherParent", Map.of("code", row.code()));
    } else {
      placed.put(row.code(), unit);
      if (unit.name().equals(row.name())) {
        unchanged++;
      } else {
        renamed.add(unit.renamed(row.name()));
      }
    }
  }

  private void create(Row row, Kind kind) {
    OrgUnit parent = parentOf(row);
    if (kind.isRoot() && created.stream().anyMatch(u -> u.kind().isRoot())) {
      refuse(row, "anotherRoot", Map.of("kind", kind));
      return;
    }
    Optional<Text> misplaced = organisation.misplacement(kind, parent);
    if (misplaced.isPresent()) {
      refuse(row, "misplaced", Map.of("problem", misplaced.get()));
      return;
    }
    OrgUnit unit =
        new OrgUnit(
            idOfCode.apply(row.code()),
            kind,
            row.name(),
            parent == null ? null : parent.unitId(),
            row.code(),
            null);
    placed.put(row.code(), unit);
    created.add(unit);
  }

  /** The parent as placed by this file, else as it is on the server; null for none. */
  private OrgUnit parentOf(Row row) {
    if (row.parentCode().isEmpty()) {
      return null;
    }
    OrgUnit inFile = placed.get(row.parentCode());
    return inFile != null ? inFile : organisation.byCode(row.parentCode()).orElse(null);
  }

  /**
   * A parent that is not placed: unknown, refused, or a line not placed before this one, which can
   * only be a kind that does not go above this one (its own line included: no cycles).
   */
  private Optional<Text> parentProblem(Row row, Kind kind) {
    if (row.parentCode().isEmpty() || parentOf(row) != null) {
      return Optional.empty();
    }
    Row parent = rowOfCode.get(row.parentCode());
    if (parent == null) {
      return Optional.of(text("unknownParent", Map.of("parentCode", row.parentCode())));
    }
    if (refusedLines.contains(parent.line())) {
      return Optional.of(
          text("parentHasErrors", Map.of("parentCode", row.parentCode(), "line", parent.line())));
    }
    return Optional.of(
        text("misplaced", Map.of("problem", Organisation.notUnder(kind, parent.kind()))));
  }

  private static Optional<Text> fieldProblem(Row row) {
    if (Arrays.stream(Kind.values()).noneMatch(kind -> kind.name().equals(row.kind()))) {
      return Optional.of(text("unknownKind", Map.of("kinds", Arrays.toString(Kind.values()))));
    }
    return OrgUnit.codeProblem(row.code())
        .map(p -> inField("code", p))
        .or(() -> OrgUnit.nameProblem(row.name()).map(p -> inField("name", p)))
        .or(
            () ->
                row.parentCode().isEmpty()
                    ? Optional.empty()
                    : OrgUnit.codeProblem(row.parentCode()).map(p -> inField("parentCode", p)));
  }

  /** "name is empty": a field message said after the column's name. */
  private static Text inField(String column, Text problem) {
    return text("field", Map.of("field", column, "problem", problem));
  }

  private static Text text(String key, Map<String, ?> args) {
    return Text.of("orgImport." + key, args);
  }

  private void refuse(Row row, String key, Map<String, ?> args) {
    refuse(row, text(key, args));
  }

  /** A refused row's code is remembered, so its children say their parent has errors. */
  private void refuse(Row row, Text message) {
    lineOfCode.putIfAbsent(row.code(), row.line());
    refusedLines.add(row.line());
    errors.add(new LineError(row.line(), message));
  }

  private static int rank(String kind) {
    return Arrays.stream(Kind.values())
        .filter(k -> k.name().equals(kind))
        .mapToInt(Kind::ordinal)
        .findFirst()
        .orElse(-1);
  }
}
