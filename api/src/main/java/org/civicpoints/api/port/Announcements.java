package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.civicpoints.api.domain.Announcement;

/** Announcements in "announcements". */
public interface Announcements {

  Future<Void> insert(Announcement announcement);

  /** Those of these scopes still shown at {@code now}: pinned first, then newest first. */
  Future<List<Announcement>> shownIn(Collection<String> scopeIds, Instant now, int limit);
}
