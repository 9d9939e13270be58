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
    Optional<String> problem = fieldProblem(row);
    if (problem.isPresent()) {
      refuse(row, problem.get());
      return;
    }
    Integer earlier = lineOfCode.putIfAbsent(row.code(), row.line());
    if (earlier != null) {
      refuse(row, "The code " + row.code() + " is also on line " + earlier + ".");
      return;
    }
    Kind kind = Kind.valueOf(row.kind());
    Optional<OrgUnit> existing = organisation.byCode(row.code());
    Optional<String> parentProblem = parentProblem(row, kind);
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
      refuse(row, row.code() + " is retired; an import does not bring it back.");
    } else if (unit.kind() != kind) {
      refuse(row, row.code() + " is a " + unit.kind() + ", not a " + kind + ".");
    } else if (!Objects.equals(unit.parentId(), parent == null ? null : parent.unitId())) {
      refuse(row, row.code() + " is under another parent; units do not move.");
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
    Optional<String> misplaced =
        kind.isRoot() && created.stream().anyMatch(u -> u.kind().isRoot())
            ? Optional.of("the file has another " + kind)
            : organisation.misplacement(kind, parent);
    if (misplaced.isPresent()) {
      refuse(row, capitalised(misplaced.get()) + ".");
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
  private Optional<String> parentProblem(Row row, Kind kind) {
    if (row.parentCode().isEmpty() || parentOf(row) != null) {
      return Optional.empty();
    }
    Row parent = rowOfCode.get(row.parentCode());
    if (parent == null) {
      return Optional.of(
          "The parent " + row.parentCode() + " is neither in the file nor on the server.");
    }
    if (refusedLines.contains(parent.line())) {
      return Optional.of(
          "Its parent " + row.parentCode() + " (line " + parent.line() + ") has errors.");
    }
    return Optional.of(
        "A " + kind + " goes under " + kind.parentsText() + ", not a " + parent.kind() + ".");
  }

  private static Optional<String> fieldProblem(Row row) {
    if (Arrays.stream(Kind.values()).noneMatch(kind -> kind.name().equals(row.kind()))) {
      return Optional.of("The kind is not one of " + Arrays.toString(Kind.values()) + ".");
    }
    return OrgUnit.codeProblem(row.code())
        .or(() -> OrgUnit.nameProblem(row.name()))
        .or(
            () ->
                row.parentCode().isEmpty()
                    ? Optional.empty()
                    : OrgUnit.codeProblem(row.parentCode()).map(p -> "parentCode: " + p))
        .map(p -> capitalised(p) + ".");
  }

  /** A refused row's code is remembered, so its children say their parent has errors. */
  private void refuse(Row row, String message) {
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

  private static String capitalised(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
