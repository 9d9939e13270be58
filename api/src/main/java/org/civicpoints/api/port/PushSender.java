package org.civicpoints.api.port;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** Sends a push message to devices; answers the tokens the push service says are gone for good. */
public interface PushSender {

  Future<List<String>> send(
      List<String> tokens, String title, String body, Map<String, String> data);
}
