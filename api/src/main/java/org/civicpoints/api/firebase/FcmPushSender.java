package org.civicpoints.api.firebase;

import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.BatchResponse;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import com.google.firebase.messaging.SendResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.civicpoints.api.config.FirebaseConfig;
import org.civicpoints.api.port.PushSender;

/**
 * Push through Firebase Cloud Messaging with the Admin SDK ({@code sendEach}, at most 500 messages
 * a call). The SDK blocks, so it runs on a named worker pool. Tokens FCM answers UNREGISTERED (or
 * INVALID_ARGUMENT: not a token) are reported back for pruning; other failures are per-message and
 * transient, so those tokens are kept.
 */
public final class FcmPushSender implements PushSender {

  private static final int MAX_PER_CALL = 500;
  private static final Set<MessagingErrorCode> GONE =
      Set.of(MessagingErrorCode.UNREGISTERED, MessagingErrorCode.INVALID_ARGUMENT);

  private final FirebaseApp app;
  private final FirebaseMessaging messaging;
  private final WorkerExecutor workers;

  private FcmPushSender(FirebaseApp app, WorkerExecutor workers) {
    this.app = app;
    this.messaging = FirebaseMessaging.getInstance(app);
    this.workers = workers;
  }

  /** Blocking (reads credentials): call from a worker. */
  public static FcmPushSender create(Vertx vertx, FirebaseConfig config) {
    return create(vertx, FirebaseApps.options(config));
  }

  /** With explicit options, e.g. an HTTP transport that reaches a loopback stand-in in tests. */
  public static FcmPushSender create(Vertx vertx, FirebaseOptions options) {
    return new FcmPushSender(
        FirebaseApps.start(options, "civic-points-fcm-"),
        vertx.createSharedWorkerExecutor("firebase-messaging", 2));
  }

  @Override
  public Future<List<String>> send(
      List<String> tokens, String title, String body, Map<String, String> data) {
    return workers.executeBlocking(
        () -> {
          List<String> gone = new ArrayList<>();
          for (int from = 0; from < tokens.size(); from += MAX_PER_CALL) {
            List<String> chunk = tokens.subList(from, Math.min(tokens.size(), from + MAX_PER_CALL));
            gone.addAll(goneTokens(chunk, messaging.sendEach(messages(chunk, title, body, data))));
          }
          return gone;
        },
        false);
  }

  public void close() {
    app.delete();
  }

  private static List<Message> messages(
      List<String> tokens, String title, String body, Map<String, String> data) {
    Notification notification = Notification.builder().setTitle(title).setBody(body).build();
    return tokens.stream()
        .map(
            token ->
                Message.builder()
                    .setToken(token)
                    .setNotification(notification)
                    .putAllData(data)
                    .build())
        .toList();
  }

  private static List<String> goneTokens(List<String> tokens, BatchResponse batch) {
    List<String> gone = new ArrayList<>();
    List<SendResponse> responses = batch.getResponses();
    for (int i = 0; i < responses.size(); i++) {
      FirebaseMessagingException failure = responses.get(i).getException();
      if (failure != null && GONE.contains(failure.getMessagingErrorCode())) {
        gone.add(tokens.get(i));
      }
    }
    return gone;
  }
}
