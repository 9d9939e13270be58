package org.civicpoints.api.fabric;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.civicpoints.api.port.Ledger.ChainEvent;
import org.hyperledger.fabric.client.ChaincodeEvent;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a chaincode event stream on its own thread (the gateway iterator blocks) and hands the
 * events to the handler on the subscriber's Vert.x context, in chain order, in batches: all that
 * arrived while the handler worked on the previous batch (at most {@link #MAX_BATCH} events), so a
 * handler that falls behind catches up with fewer, larger writes, and one that keeps up gets each
 * event as it comes. At most {@link #MAX_QUEUED} events wait; then reading pauses. The stream
 * always starts at the beginning of a block, so events are numbered within their block; after a
 * reconnect the events already read are skipped, never delivered twice.
 */
final class EventFollower {

  private static final int MAX_BATCH = 32;
  private static final int MAX_QUEUED = 64;
  private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final Context context;
  private final Network network;
  private final String chaincode;
  private final long deadlineSeconds;
  private final Function<List<ChainEvent>, Future<Void>> handler;
  private final Consumer<Throwable> onStopped;
  private final LongConsumer blockSeen;
  private final Thread thread;
  private final BlockingQueue<ChainEvent> queued = new ArrayBlockingQueue<>(MAX_QUEUED);
  private final AtomicBoolean failed = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile CloseableIterator<ChaincodeEvent> stream;
  private long lastBlock;
  private int lastOrdinal = -1;

  /** Only read and written on the context: a batch is with the handler. */
  private boolean handling;

  EventFollower(
      Context context,
      Network network,
      String chaincode,
      long deadlineSeconds,
      long startBlock,
      Function<List<ChainEvent>, Future<Void>> handler,
      Consumer<Throwable> onStopped,
      LongConsumer blockSeen) {
    this.context = context;
    this.network = network;
    this.chaincode = chaincode;
    this.deadlineSeconds = deadlineSeconds;
    this.handler = handler;
    this.onStopped = onStopped;
    this.blockSeen = blockSeen;
    this.lastBlock = startBlock;
    this.thread = new Thread(this::run, "ledger-events");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    CloseableIterator<ChaincodeEvent> open = stream;
    if (open != null) {
      open.close();
    }
    thread.interrupt();
  }

  private void run() {
    long backoff = 100;
    while (running) {
      try {
        readFrom(lastBlock);
        backoff = 100;
      } catch (GatewayRuntimeException streamFailed) {
        if (!running) {
          return;
        }
        if (streamFailed.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
          continue; // a quiet stream reached its deadline: reopen at once
        }
        LOG.warn(
            "Chaincode event stream failed ({}); reconnecting from block {} in {} ms",
            streamFailed.getStatus().getCode(),
            lastBlock,
            backoff);
        if (!pause(backoff)) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      } catch (InterruptedException stopping) {
        return;
      } catch (RuntimeException unreadable) {
        // An event that cannot be read is not skipped: the feed stops and its owner decides.
        if (running) {
          fail(unreadable);
        }
        return;
      }
    }
  }

  private void readFrom(long block) throws InterruptedException {
    CloseableIterator<ChaincodeEvent> events =
        network
            .newChaincodeEventsRequest(chaincode)
            .startBlock(block)
            .build()
            .getEvents(options -> options.withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS));
    stream = events;
    try (events) {
      long currentBlock = -1;
      int ordinal = -1;
      while (running && events.hasNext()) {
        ChaincodeEvent event = events.next();
        if (event.getBlockNumber() != currentBlock) {
          currentBlock = event.getBlockNumber();
          ordinal = -1;
        }
        ordinal++;
        if (currentBlock < lastBlock || (currentBlock == lastBlock && ordinal <= lastOrdinal)) {
          continue; // read before the reconnect
        }
        enqueue(
            new ChainEvent(
                currentBlock,
                ordinal,
                event.getTransactionId(),
                event.getEventName(),
                new JsonObject(new String(event.getPayload(), StandardCharsets.UTF_8))));
        lastBlock = currentBlock;
        lastOrdinal = ordinal;
      }
    }
  }

  /** Waits while {@link #MAX_QUEUED} events are waiting for the handler. */
  private void enqueue(ChainEvent event) throws InterruptedException {
    blockSeen.accept(event.blockNumber());
    queued.put(event);
    context.runOnContext(v -> handleQueued());
  }

  /** On the context: the events queued so far go to the handler, unless it still has a batch. */
  private void handleQueued() {
    if (handling || !running) {
      return;
    }
    List<ChainEvent> batch = new ArrayList<>();
    queued.drainTo(batch, MAX_BATCH);
    if (batch.isEmpty()) {
      return;
    }
    handling = true;
    Future<Void> result;
    try {
      result = handler.apply(batch);
    } catch (RuntimeException failure) {
      result = Future.failedFuture(failure);
    }
    result.onComplete(
        done -> {
          handling = false;
          if (done.succeeded()) {
            handleQueued();
          } else {
            fail(done.cause());
          }
        });
  }

  /**
   * A failed handler or an unreadable event stops the feed; its owner is told once, on the
   * subscriber's context (an unreadable event is found on the reading thread).
   */
  private void fail(Throwable cause) {
    if (failed.compareAndSet(false, true)) {
      stop();
      context.runOnContext(v -> onStopped.accept(cause));
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
