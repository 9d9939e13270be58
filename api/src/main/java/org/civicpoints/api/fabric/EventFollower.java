package org.civicpoints.api.fabric;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
 * Reads a chaincode event stream on its own thread (the gateway iterator blocks) and hands each
 * event to the handler on the subscriber's Vert.x context, waiting for the handler before reading
 * on. The stream always starts at the beginning of a block, so events are numbered within their
 * block; after a reconnect the events already delivered are skipped, never delivered twice.
 */
final class EventFollower {

  private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final Context context;
  private final Network network;
  private final String chaincode;
  private final long deadlineSeconds;
  private final Function<ChainEvent, Future<Void>> handler;
  private final Consumer<Throwable> onStopped;
  private final LongConsumer blockSeen;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile CloseableIterator<ChaincodeEvent> stream;
  private long lastBlock;
  private int lastOrdinal = -1;

  EventFollower(Context context, Network network, String chaincode, long deadlineSeconds, long startBlock,
      Function<ChainEvent, Future<Void>> handler, Consumer<Throwable> onStopped, LongConsumer blockSeen) {
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
        LOG.warn("Chaincode event stream failed ({}); reconnecting from block {} in {} ms",
            streamFailed.getStatus().getCode(), lastBlock, backoff);
        if (!pause(backoff)) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      } catch (HandlerFailed failed) {
        running = false;
        onStopped.accept(failed.getCause());
        return;
      } catch (RuntimeException unreadable) {
        // An event that cannot be read is not skipped: the feed stops and its owner decides.
        if (running) {
          running = false;
          onStopped.accept(unreadable);
        }
        return;
      }
    }
  }

  private void readFrom(long block) {
    CloseableIterator<ChaincodeEvent> events = network.newChaincodeEventsRequest(chaincode).startBlock(block).build()
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
          continue; // delivered before the reconnect
        }
        deliver(new ChainEvent(currentBlock, ordinal, event.getTransactionId(), event.getEventName(),
            new JsonObject(new String(event.getPayload(), StandardCharsets.UTF_8))));
        lastBlock = currentBlock;
        lastOrdinal = ordinal;
      }
    }
  }

  private void deliver(ChainEvent event) {
    blockSeen.accept(event.blockNumber());
    CompletableFuture<Void> handled = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<Void> result;
      try {
        result = handler.apply(event);
      } catch (RuntimeException failure) {
        result = Future.failedFuture(failure);
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          handled.complete(null);
        } else {
          handled.completeExceptionally(done.cause());
        }
      });
    });
    try {
      handled.get();
    } catch (ExecutionException failure) {
      throw new HandlerFailed(failure.getCause());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new HandlerFailed(interrupted);
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

  private static final class HandlerFailed extends RuntimeException {
    HandlerFailed(Throwable cause) {
      super(cause);
    }
  }
}
