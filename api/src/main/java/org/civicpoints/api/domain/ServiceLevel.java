package org.civicpoints.api.domain;

import java.util.List;
import java.util.Optional;

/**
 * A member's standing by chain-recorded service: stars by cumulative VOLUNTEER hours, following the
 * national volunteer star scheme (1★ 100 h, 2★ 300 h, 3★ 600 h, 4★ 1,000 h, 5★ 1,500 h), and study
 * milestones by cumulative STUDY units (10, 50, 100, 200, 500). Reversals lower both.
 */
public record ServiceLevel(long volunteerHours, long studyUnits) {

  public static final List<Long> STAR_HOURS = List.of(100L, 300L, 600L, 1_000L, 1_500L);
  public static final List<Long> STUDY_MILESTONES = List.of(10L, 50L, 100L, 200L, 500L);

  /** 0 to 5. */
  public int stars() {
    return reached(STAR_HOURS, volunteerHours);
  }

  /** The highest study milestone reached (its units), 0 before the first. */
  public long studyMilestone() {
    int reached = reached(STUDY_MILESTONES, studyUnits);
    return reached == 0 ? 0 : STUDY_MILESTONES.get(reached - 1);
  }

  /** The hours the next star needs; empty at five stars. */
  public Optional<Long> nextStarHours() {
    return next(STAR_HOURS, stars());
  }

  public Optional<Long> nextStudyMilestone() {
    return next(STUDY_MILESTONES, reached(STUDY_MILESTONES, studyUnits));
  }

  private static int reached(List<Long> thresholds, long value) {
    return (int) thresholds.stream().filter(threshold -> value >= threshold).count();
  }

  private static Optional<Long> next(List<Long> thresholds, int reached) {
    return reached < thresholds.size() ? Optional.of(thresholds.get(reached)) : Optional.empty();
  }
}
