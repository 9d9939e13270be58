package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;

/**
 * Blocking I/O steps run on a worker pool one at a time, in the order they are asked for: a file
 * written across several steps (a ZIP, a workbook) is touched by one worker at a time.
 */
public final class OrderedIo {

  /** One blocking step; an I/O error fails its future. */
  @FunctionalInterface
  public interface Step {
    void run() throws IOException;
  }

  private OrderedIo() {}

  public static Future<Void> run(WorkerExecutor workers, Step step) {
    return workers.executeBlocking(
        () -> {
          step.run();
          return null;
        },
        true);
  }
}
