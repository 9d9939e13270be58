package org.civicpoints.api.reads;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * A closed-loop HTTP/1.1 load generator on the Vert.x 5 client (keep-alive, no pipelining): each of
 * {@code connections} users sends its next GET when the previous answer has been read. Latency goes
 * into 10 µs buckets up to 2 s (and one bucket beyond), so percentiles cost no sorting.
 */
final class LoadGenerator implements AutoCloseable {

  private static final long BUCKET_NANOS = 10_000;
  private static final int BUCKETS = 200_000;

  /** A request with no answer for this long counts as an error rather than stalling the run. */
  private static final long REQUEST_IDLE_MILLIS = 20_000;

  /**
   * How long a run's last requests may take after it ends; those still unanswered then count as
   * errors (and still hold their connection when the next run starts).
   */
  private static final int DRAIN_SECONDS = 10;

  /** One request: the path with its query, and the bearer token, or null for none. */
  record Call(String path, String token) {}

  record Result(
      long requests,
      long errors,
      String firstError,
      double seconds,
      double p50Millis,
      double p99Millis) {
    double rps() {
      return requests / seconds;
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpClientAgent client;
  private final int connections;

  LoadGenerator(int connections) {
    this.connections = connections;
    this.client =
        vertx
            .httpClientBuilder()
            .with(new HttpClientOptions().setKeepAlive(true))
            .with(new PoolOptions().setHttp1MaxSize(connections))
            .build();
  }

  /** Blocking: {@code seconds} of load; request n of the run is {@code calls.apply(n)}. */
  Result drive(int port, LongFunction<Call> calls, int seconds) throws Exception {
    Run run = new Run(port, calls);
    long started = System.nanoTime();
    for (int user = 0; user < connections; user++) {
      run.next();
    }
    TimeUnit.SECONDS.sleep(seconds);
    run.stopping.set(true);
    double elapsed = (System.nanoTime() - started) / 1e9;
    long unanswered = run.unansweredAfter(DRAIN_SECONDS);
    return new Result(
        run.done.get(),
        run.errors.get() + unanswered,
        run.firstError.get(),
        elapsed,
        run.percentile(0.50),
        run.percentile(0.99));
  }

  /** One measured stretch of load. */
  private final class Run {
    final AtomicBoolean stopping = new AtomicBoolean();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final AtomicLongArray buckets = new AtomicLongArray(BUCKETS + 1);
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    final int port;
    final LongFunction<Call> calls;

    Run(int port, LongFunction<Call> calls) {
      this.port = port;
      this.calls = calls;
    }

    void next() {
      if (stopping.get()) {
        if (inFlight.get() == 0) {
          drained.complete(null);
        }
        return;
      }
      inFlight.incrementAndGet();
      Call call = calls.apply(sent.getAndIncrement());
      long start = System.nanoTime();
      send(call)
          .onComplete(
              answered -> {
                if (!stopping.get()) {
                  record(System.nanoTime() - start, answered.succeeded());
                  if (answered.failed()) {
                    firstError.compareAndSet(null, answered.cause().getMessage());
                  }
                }
                inFlight.decrementAndGet();
                next();
              });
    }

    private Future<Void> send(Call call) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setHost("127.0.0.1")
              .setPort(port)
              .setURI(call.path())
              .setIdleTimeout(REQUEST_IDLE_MILLIS);
      if (call.token() != null) {
        options.putHeader("Authorization", "Bearer " + call.token());
      }
      return client
          .request(options)
          .compose(request -> request.send())
          .compose(
              response ->
                  response
                      .body()
                      .compose(
                          body ->
                              response.statusCode() == 200
                                  ? Future.<Void>succeededFuture()
                                  : Future.failedFuture(
                                      call.path() + " " + response.statusCode() + " " + body)));
    }

    private void record(long nanos, boolean ok) {
      done.incrementAndGet();
      if (!ok) {
        errors.incrementAndGet();
      }
      buckets.incrementAndGet((int) Math.min(BUCKETS, nanos / BUCKET_NANOS));
    }

    long unansweredAfter(int seconds) throws InterruptedException {
      try {
        drained.get(seconds, TimeUnit.SECONDS);
        return 0;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return inFlight.get();
      }
    }

    double percentile(double share) {
      long wanted = (long) Math.ceil(done.get() * share);
      long seen = 0;
      for (int i = 0; i <= BUCKETS; i++) {
        seen += buckets.get(i);
        if (seen >= wanted) {
          return (i + 1) * BUCKET_NANOS / 1e6;
        }
      }
      return Double.NaN;
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
