package org.civicpoints.api.service;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.civicpoints.api.port.MemberData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members whose accounts were deleted while their access tokens may still be unexpired: their
 * tokens are refused. A deletion on this instance counts at once; one on another instance within
 * {@link #POLL}, when this one reads the deletions of the last token lifetime again.
 */
public final class DeletedMembers {

  private static final Logger LOG = LoggerFactory.getLogger(DeletedMembers.class);
  static final Duration POLL = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final MemberData data;
  private final Duration tokenLifetime;
  private final Clock clock;
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private long timer = -1;

  /** {@code tokenLifetime}: how long an access token lives, clock skew included. */
  public DeletedMembers(Vertx vertx, MemberData data, Duration tokenLifetime, Clock clock) {
    this.vertx = vertx;
    this.data = data;
    this.tokenLifetime = tokenLifetime;
    this.clock = clock;
  }

  public boolean contains(String memberId) {
    return deleted.contains(memberId);
  }

  void add(String memberId) {
    deleted.add(memberId);
  }

  public void start() {
    read();
    timer = vertx.setPeriodic(POLL.toMillis(), id -> read());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Adds what others deleted; forgets nobody (a token refused once stays refused). */
  private void read() {
    data.deletedSince(clock.instant().minus(tokenLifetime))
        .onSuccess(deleted::addAll)
        .onFailure(failure -> LOG.warn("Could not read the deleted accounts", failure));
  }
}
