package org.civicpoints.devnet;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures a test can switch on to exercise a client's retry logic: paused commits, the next N
 * endorsements, evaluations or submits failing with gRPC UNAVAILABLE, slow commit status, and a
 * server that goes away and comes back on the same port with its ledger intact.
 */
public final class Faults {

  /** How a fault stops and restarts the gRPC server; implemented by {@link Devnet}. */
  interface Server {
    void stop();

    void restart() throws IOException;
  }

  private final Server server;
  private final AtomicInteger failingEndorsements = new AtomicInteger();
  private final AtomicInteger failingEvaluations = new AtomicInteger();
  private final AtomicInteger failingSubmits = new AtomicInteger();
  private volatile Duration commitStatusDelay = Duration.ZERO;
  private boolean commitsPaused;

  Faults(Server server) {
    this.server = server;
  }

  /** Submitted transactions queue up but no block is committed until {@link #resumeCommits()}. */
  public synchronized void pauseCommits() {
    commitsPaused = true;
  }

  public synchronized void resumeCommits() {
    commitsPaused = false;
    notifyAll();
  }

  public synchronized boolean commitsPaused() {
    return commitsPaused;
  }

  /** The next {@code count} Endorse calls fail with UNAVAILABLE before reaching the chaincode. */
  public void failNextEndorsements(int count) {
    failingEndorsements.set(requireCount(count));
  }

  /** The next {@code count} Evaluate calls fail with UNAVAILABLE. */
  public void failNextEvaluations(int count) {
    failingEvaluations.set(requireCount(count));
  }

  /** The next {@code count} Submit calls fail with UNAVAILABLE; the transaction is not ordered. */
  public void failNextSubmits(int count) {
    failingSubmits.set(requireCount(count));
  }

  /** Every CommitStatus answer is held back this long after the transaction committed. */
  public void delayCommitStatus(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    commitStatusDelay = delay;
  }

  /** Stops serving: clients see UNAVAILABLE; the ledger, orderer and committer keep running. */
  public void stopServer() {
    server.stop();
  }

  /** Serves again on the same port. */
  public void restartServer() throws IOException {
    server.restart();
  }

  /** Switches every fault off and resumes commits. */
  public void clear() {
    failingEndorsements.set(0);
    failingEvaluations.set(0);
    failingSubmits.set(0);
    commitStatusDelay = Duration.ZERO;
    resumeCommits();
  }

  boolean takeEndorsementFailure() {
    return take(failingEndorsements);
  }

  boolean takeEvaluationFailure() {
    return take(failingEvaluations);
  }

  boolean takeSubmitFailure() {
    return take(failingSubmits);
  }

  Duration commitStatusDelay() {
    return commitStatusDelay;
  }

  /** Waits up to {@code wait} for commits to be allowed; true when they are. */
  synchronized boolean awaitCommitsAllowed(Duration wait) throws InterruptedException {
    if (commitsPaused) {
      TimeUnit.NANOSECONDS.timedWait(this, wait.toNanos());
    }
    return !commitsPaused;
  }

  synchronized void wakeCommitter() {
    notifyAll();
  }

  private static boolean take(AtomicInteger remaining) {
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private static int requireCount(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    return count;
  }
}
