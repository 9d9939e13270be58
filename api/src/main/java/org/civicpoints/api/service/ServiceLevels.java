package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.ChainPosition;
import org.civicpoints.api.domain.MovedEntry;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.ServiceLevel;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.Notifier.Notice;
import org.civicpoints.api.port.ProjectorCheckpoints;
import org.civicpoints.api.port.ServiceRecords;

/**
 * The service projector's work (its own checkpoint): keeps each chain-recorded award and reversal
 * for certificates and star levels, then tells each member once of every star and study milestone
 * their recorded service reached (a reversal lowers the level; reaching it again tells nobody
 * twice).
 */
public final class ServiceLevels implements LedgerProjector.Handler {

  private final ServiceRecords records;
  private final Notifier notifier;

  public ServiceLevels(ServiceRecords records, Notifier notifier) {
    this.records = records;
    this.notifier = notifier;
  }

  /**
   * Run before the projector starts: a database kept before levels were added up has the service
   * projector replay the chain once (records are kept by entry id, so only the totals are written,
   * and each level is told at most once as before).
   */
  public Future<Void> prepare(ProjectorCheckpoints checkpoints) {
    return records
        .levelsNeedReplay()
        .compose(
            replay ->
                replay
                    ? checkpoints.saveCheckpoint(ProjectorCheckpoints.SERVICE, ChainPosition.NONE)
                    : Future.succeededFuture());
  }

  public Future<ServiceLevel> of(Caller caller) {
    return records.levels(List.of(caller.memberId())).map(levels -> levels.get(caller.memberId()));
  }

  @Override
  public Future<Void> handle(List<ChainEvent> events) {
    List<MovedEntry> moved = LedgerProjector.movedEntries(events);
    if (moved.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> members = moved.stream().map(MovedEntry::memberId).collect(Collectors.toSet());
    return records
        .record(moved)
        .compose(v -> records.levels(members))
        .compose(levels -> notifier.notifyOnce(notices(levels)));
  }

  /**
   * The highest star and study milestone each member holds, keyed by member and level: a level is
   * told once, when first reached (a level passed on the way up in the same batch is not told).
   */
  private static List<Notice> notices(Map<String, ServiceLevel> levels) {
    List<Notice> notices = new ArrayList<>();
    levels.forEach(
        (memberId, level) -> {
          if (level.stars() > 0) {
            notices.add(
                new Notice(
                    "star:" + memberId + ":" + level.stars(),
                    memberId,
                    NotificationKind.SERVICE_STAR_REACHED,
                    new JsonObject()
                        .put("stars", level.stars())
                        .put("hours", ServiceLevel.STAR_HOURS.get(level.stars() - 1))));
          }
          if (level.studyMilestone() > 0) {
            notices.add(
                new Notice(
                    "study:" + memberId + ":" + level.studyMilestone(),
                    memberId,
                    NotificationKind.STUDY_MILESTONE_REACHED,
                    new JsonObject().put("units", level.studyMilestone())));
          }
        });
    return notices;
  }
}
