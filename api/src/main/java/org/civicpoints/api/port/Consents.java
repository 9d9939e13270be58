package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import org.civicpoints.api.domain.Consent;

/** Every consent a member recorded, kept as evidence of what they chose and when. */
public interface Consents {

  Future<Void> insert(Consent consent);

  /** The member's consents, newest first, at most {@code limit}. */
  Future<List<Consent>> history(String memberId, int limit);
}
