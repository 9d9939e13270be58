package org.civicpoints.api.mongo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.civicpoints.api.domain.Standing;
import org.civicpoints.api.port.Standings.BoardReader;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Pulls a cursor batch by batch: the driver is asked for the next {@code batchSize} documents only
 * when the reader asks for the next batch, so a slow HTTP client holds back the database instead of
 * filling memory.
 */
final class MongoBoardReader implements BoardReader, Subscriber<Document> {

  private final Context context;
  private final int batchSize;
  private final Function<Document, Standing> mapper;
  private Subscription subscription;
  private Promise<List<Standing>> pending;
  private List<Standing> buffer = new ArrayList<>();
  private boolean done;
  private Throwable failure;

  MongoBoardReader(
      Context context,
      Publisher<Document> cursor,
      int batchSize,
      Function<Document, Standing> mapper) {
    this.context = context;
    this.batchSize = batchSize;
    this.mapper = mapper;
    cursor.subscribe(this);
  }

  @Override
  public Future<List<Standing>> next() {
    Promise<List<Standing>> promise = Promise.promise();
    Subscription toRequest;
    synchronized (this) {
      if (pending != null) {
        return Future.failedFuture(new IllegalStateException("ask for one batch at a time"));
      }
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      if (done) {
        List<Standing> rest = buffer;
        buffer = new ArrayList<>();
        return Future.succeededFuture(rest);
      }
      pending = promise;
      toRequest = subscription;
    }
    if (toRequest != null) {
      toRequest.request(batchSize);
    }
    return promise.future();
  }

  @Override
  public void close() {
    Subscription toCancel;
    synchronized (this) {
      toCancel = done ? null : subscription;
      done = true;
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    boolean requestNow;
    synchronized (this) {
      this.subscription = subscription;
      requestNow = pending != null;
    }
    if (requestNow) {
      subscription.request(batchSize);
    }
  }

  @Override
  public void onNext(Document document) {
    Promise<List<Standing>> ready = null;
    List<Standing> batch = null;
    synchronized (this) {
      buffer.add(mapper.apply(document));
      if (buffer.size() >= batchSize && pending != null) {
        ready = pending;
        batch = buffer;
        pending = null;
        buffer = new ArrayList<>();
      }
    }
    complete(ready, batch);
  }

  @Override
  public void onComplete() {
    Promise<List<Standing>> ready;
    List<Standing> batch;
    synchronized (this) {
      done = true;
      ready = pending;
      batch = buffer;
      pending = null;
      buffer = ready == null ? buffer : new ArrayList<>();
    }
    complete(ready, batch);
  }

  @Override
  public void onError(Throwable error) {
    Promise<List<Standing>> ready;
    synchronized (this) {
      failure = error;
      ready = pending;
      pending = null;
    }
    if (ready != null) {
      onContext(() -> ready.fail(error));
    }
  }

  private void complete(Promise<List<Standing>> ready, List<Standing> batch) {
    if (ready != null) {
      onContext(() -> ready.complete(batch));
    }
  }

  private void onContext(Runnable action) {
    if (context == null) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
