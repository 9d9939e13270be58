package org.civicpoints.devnet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A solo orderer's block cutter: a block is cut when it holds {@code maxTxPerBlock} transactions or
 * when {@code batchTimeout} has passed since its first transaction arrived.
 */
final class Orderer {

  private final LinkedBlockingQueue<SubmittedTransaction> queue = new LinkedBlockingQueue<>();
  private final int maxTxPerBlock;
  private final long batchTimeoutNanos;

  Orderer(int maxTxPerBlock, Duration batchTimeout) {
    this.maxTxPerBlock = maxTxPerBlock;
    this.batchTimeoutNanos = batchTimeout.toNanos();
  }

  void enqueue(SubmittedTransaction transaction) {
    queue.add(transaction);
  }

  /** The next block's transactions; empty if nothing arrived within {@code idleWait}. */
  List<SubmittedTransaction> nextBatch(Duration idleWait) throws InterruptedException {
    SubmittedTransaction first = queue.poll(idleWait.toNanos(), TimeUnit.NANOSECONDS);
    if (first == null) {
      return List.of();
    }
    List<SubmittedTransaction> batch = new ArrayList<>(maxTxPerBlock);
    batch.add(first);
    long deadline = System.nanoTime() + batchTimeoutNanos;
    while (batch.size() < maxTxPerBlock) {
      queue.drainTo(batch, maxTxPerBlock - batch.size());
      long remaining = deadline - System.nanoTime();
      if (batch.size() >= maxTxPerBlock || remaining <= 0) {
        break;
      }
      SubmittedTransaction next = queue.poll(remaining, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      batch.add(next);
    }
    return batch;
  }

  /** Adds queued transactions to a block that has not been committed yet, up to its size. */
  void topUp(List<SubmittedTransaction> batch) {
    queue.drainTo(batch, maxTxPerBlock - batch.size());
  }

  /** Whatever is still queued, in blocks of at most {@code maxTxPerBlock}. */
  List<List<SubmittedTransaction>> drain() {
    List<SubmittedTransaction> all = new ArrayList<>();
    queue.drainTo(all);
    List<List<SubmittedTransaction>> blocks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += maxTxPerBlock) {
      blocks.add(all.subList(from, Math.min(all.size(), from + maxTxPerBlock)));
    }
    return blocks;
  }
}
