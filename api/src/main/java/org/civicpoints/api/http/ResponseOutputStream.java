package org.civicpoints.api.http;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An OutputStream for a worker thread that writes into an HTTP response in 64 KiB chunks. Each
 * chunk is handed to the response on its event loop; when the response's write queue is full the
 * worker waits for it to drain, so a slow client slows the writer down instead of filling memory.
 * Closing flushes the last chunk but does not end the response.
 */
final class ResponseOutputStream extends OutputStream {

  private static final int CHUNK_BYTES = 64 * 1024;
  private static final long DRAIN_TIMEOUT_SECONDS = 120;

  private final HttpServerResponse response;
  private final Context context;
  private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES);
  private volatile CompletableFuture<Void> waiting;

  ResponseOutputStream(HttpServerResponse response, Context context) {
    this.response = response;
    this.context = context;
  }

  @Override
  public void write(int b) throws IOException {
    chunk.write(b);
    sendIfFull();
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    chunk.write(bytes, offset, length);
    sendIfFull();
  }

  private void sendIfFull() throws IOException {
    if (chunk.size() >= CHUNK_BYTES) {
      send();
    }
  }

  @Override
  public void close() throws IOException {
    if (chunk.size() > 0) {
      send();
    }
  }

  private void send() throws IOException {
    Buffer bytes = Buffer.buffer(chunk.toByteArray());
    chunk.reset();
    CompletableFuture<Void> writable = new CompletableFuture<>();
    waiting = writable;
    context.runOnContext(
        v -> {
          if (response.closed()) {
            writable.completeExceptionally(new IOException("the client closed the connection"));
            return;
          }
          response.write(bytes);
          if (!response.writeQueueFull()) {
            writable.complete(null);
            return;
          }
          response.drainHandler(
              drained -> {
                response.drainHandler(null);
                writable.complete(null);
              });
        });
    await(writable);
  }

  /** The client went away: a writer waiting for the queue to drain stops waiting. */
  void abort() {
    CompletableFuture<Void> pending = waiting;
    if (pending != null) {
      pending.completeExceptionally(new IOException("the client closed the connection"));
    }
  }

  private static void await(CompletableFuture<Void> writable) throws IOException {
    try {
      writable.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException failed) {
      throw new IOException(failed.getCause());
    } catch (TimeoutException slow) {
      throw new IOException("the client read nothing for " + DRAIN_TIMEOUT_SECONDS + " s", slow);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the client", interrupted);
    }
  }
}
