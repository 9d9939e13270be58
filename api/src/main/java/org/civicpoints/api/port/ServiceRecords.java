package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.ServiceLevel;
import org.civicpoints.api.domain.ServiceRecord;

/**
 * What the service projector keeps of the chain's awards and reversals, for certificates and star
 * levels; every write is idempotent by entry id.
 */
public interface ServiceRecords {

  /**
   * Keeps the awards and reversals among {@code moved}, with their units and activity from the
   * submission each records (a reversal takes its award's, negated).
   */
  Future<Void> record(List<MovedEntry> moved);

  /** The member's records of activities on days {@code from} to {@code to}, in those categories. */
  Future<List<ServiceRecord>> inPeriod(
      String memberId, LocalDate from, LocalDate to, Set<Category> categories);

  /** Each member's cumulative recorded volunteer hours and study units. */
  Future<Map<String, ServiceLevel>> levels(Collection<String> memberIds);

  /**
   * True for a database kept before levels were added up as records were kept: the records are
   * there, their totals are not, and replaying the chain once builds them.
   */
  Future<Boolean> levelsNeedReplay();
}
