package org.civicpoints.api.mongo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Turns the driver's reactive-streams publishers into Vert.x futures. The driver signals on its own
 * threads; results are handed back on the caller's Vert.x context so handlers keep running on their
 * event loop.
 */
final class Publishers {

  private Publishers() {}

  /** The first item, or null when the publisher completes empty. */
  static <T> Future<T> first(Publisher<T> publisher) {
    return all(publisher).map(items -> items.isEmpty() ? null : items.get(0));
  }

  static <T> Future<List<T>> all(Publisher<T> publisher) {
    Context context = Vertx.currentContext();
    Promise<List<T>> promise = Promise.promise();
    publisher.subscribe(new Collector<>(context, promise));
    return promise.future();
  }

  static <T> Future<Void> done(Publisher<T> publisher) {
    return all(publisher).mapEmpty();
  }

  private static final class Collector<T> implements Subscriber<T> {
    private final Context context;
    private final Promise<List<T>> promise;
    private final List<T> items = new ArrayList<>();

    Collector(Context context, Promise<List<T>> promise) {
      this.context = context;
      this.promise = promise;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable failure) {
      onContext(() -> promise.fail(failure));
    }

    @Override
    public void onComplete() {
      onContext(() -> promise.complete(items));
    }

    private void onContext(Runnable action) {
      if (context == null) {
        action.run();
      } else {
        context.runOnContext(v -> action.run());
      }
    }
  }
}
