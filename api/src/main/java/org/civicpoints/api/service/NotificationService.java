package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.civicpoints.api.domain.Caller;
import org.civicpoints.api.domain.Cursor;
import org.civicpoints.api.domain.DomainException;
import org.civicpoints.api.domain.Ids;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.NotificationKind;
import org.civicpoints.api.domain.NotificationPreferences;
import org.civicpoints.api.domain.Page;
import org.civicpoints.api.domain.Submission;
import org.civicpoints.api.domain.Text;
import org.civicpoints.api.port.DeviceTokens;
import org.civicpoints.api.port.Inbox;
import org.civicpoints.api.port.Members;
import org.civicpoints.api.port.NotificationSettings;
import org.civicpoints.api.port.Notifier;
import org.civicpoints.api.port.PushSender;
import org.civicpoints.api.port.Submissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-app inbox plus push. The inbox entry is written first and is the record; the push to the
 * member's devices follows, and tokens the push service calls gone for good are pruned. A push
 * failure is logged and does not fail the notification (the member still sees it in the inbox).
 *
 * <p>The inbox keeps kind and data, not words: a member reads their inbox in the language they read
 * it in today (one who switches to English sees last month's entries in English too), and a
 * corrected catalogue text corrects old entries. A push is words on a screen at once, so it is
 * rendered when sent, in the language the member chose.
 */
public final class NotificationService implements Notifier {

  private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);

  private final Inbox inbox;
  private final DeviceTokens devices;
  private final PushSender push;
  private final Members members;
  private final Submissions submissions;
  private final NotificationSettings settings;
  private final MessageCatalogue catalogue;
  private final Clock clock;

  /** {@code push} null: push is off (Firebase not configured), the inbox still works. */
  public NotificationService(
      Inbox inbox,
      DeviceTokens devices,
      PushSender push,
      Members members,
      Submissions submissions,
      NotificationSettings settings,
      Clock clock) {
    this.inbox = inbox;
    this.devices = devices;
    this.push = push;
    this.members = members;
    this.submissions = submissions;
    this.settings = settings;
    this.catalogue = MessageCatalogue.standard();
    this.clock = clock;
  }

  @Override
  public Future<Void> notify(String memberId, NotificationKind kind, JsonObject data) {
    InboxNotification notification =
        new InboxNotification(
            Ids.notificationId(), memberId, kind, data.getMap(), clock.instant(), null);
    // The push runs on after the inbox write; it logs its own failures (see push) and is not
    // awaited, so a slow push service never holds up the projector that calls this.
    return inbox.add(notification).onSuccess(v -> push(notification));
  }

  @Override
  public Future<Void> notifyOnce(List<Notice> notices) {
    List<InboxNotification> notifications =
        notices.stream()
            .map(
                notice ->
                    new InboxNotification(
                        Ids.notificationIdOf(notice.key()),
                        notice.memberId(),
                        notice.kind(),
                        notice.data().getMap(),
                        clock.instant(),
                        null))
            .toList();
    return inbox.addNew(notifications).onSuccess(added -> added.forEach(this::push)).mapEmpty();
  }

  public Future<Void> registerDevice(Caller caller, String token, String platform) {
    return devices.register(caller.memberId(), token, platform);
  }

  /** Only the caller's own token; another member's token is NOT_FOUND. */
  public Future<Void> removeDevice(Caller caller, String token) {
    return devices
        .remove(caller.memberId(), token)
        .compose(
            removed ->
                removed
                    ? Future.succeededFuture()
                    : Future.failedFuture(DomainException.notFound("device", Map.of())));
  }

  /** The language the member chose for what they are told. */
  public Future<Language> languageOf(String memberId) {
    return members.languageOf(memberId);
  }

  /**
   * A notification's title and body in one language, from its kind and data (explained first, see
   * explained); what the data lacks is said in general words rather than left as a placeholder.
   */
  public Rendered render(InboxNotification notification, Language language) {
    Map<String, Object> args = new HashMap<>(notification.data());
    args.put(
        "activityTitle",
        args.get("activityTitle") instanceof String title
            ? Text.of("notification.activity.titled", Map.of("title", title))
            : Text.of("notification.activity.unknown"));
    args.putIfAbsent("reason", Text.of("notification.reason.none"));
    args.put("cap", Text.of("notification.cap." + capOf(notification.data())));
    return new Rendered(
        catalogue.notificationTitle(language, notification.kind(), args),
        catalogue.notificationBody(language, notification.kind(), args));
  }

  public record Rendered(String title, String body) {}

  private static String capOf(Map<String, Object> data) {
    Object reason = data.get("reason");
    return "DAILY_CAP".equals(reason) || "YEARLY_CAP".equals(reason) ? (String) reason : "ANY";
  }

  public Future<Page<InboxNotification>> list(Caller caller, String cursor, int limit) {
    return inbox
        .listOfMember(caller.memberId(), Cursor.decode(cursor), limit)
        .compose(
            page -> explained(page.items()).map(items -> new Page<>(items, page.nextCursor())));
  }

  /**
   * The notifications with what their member's submission tells today: the activity's title and a
   * reversal's reason (entries written before either was kept get them too).
   */
  private Future<List<InboxNotification>> explained(List<InboxNotification> notifications) {
    Set<String> ids = new HashSet<>();
    notifications.forEach(n -> submissionIdOf(n).ifPresent(ids::add));
    if (ids.isEmpty()) {
      return Future.succeededFuture(notifications);
    }
    return submissions
        .findByIds(ids)
        .map(
            found -> {
              Map<String, Submission> byId = new HashMap<>();
              found.forEach(submission -> byId.put(submission.submissionId(), submission));
              return notifications.stream()
                  .map(n -> explained(n, submissionIdOf(n).map(byId::get).orElse(null)))
                  .toList();
            });
  }

  private static Optional<String> submissionIdOf(InboxNotification notification) {
    return notification.data().get("submissionId") instanceof String id
        ? Optional.of(id)
        : Optional.empty();
  }

  private static InboxNotification explained(InboxNotification notification, Submission found) {
    if (found == null || !found.memberId().equals(notification.memberId())) {
      return notification;
    }
    Map<String, Object> data = new LinkedHashMap<>(notification.data());
    if (found.activityTitle() != null) {
      data.putIfAbsent("activityTitle", found.activityTitle());
    }
    if (notification.kind() == NotificationKind.SUBMISSION_REVERSED
        && found.reversalReason() != null) {
      data.putIfAbsent("reason", found.reversalReason());
    }
    return notification.withData(data);
  }

  public Future<Long> unreadCount(Caller caller) {
    return inbox.countUnread(caller.memberId());
  }

  /** Idempotent: a second call finds nothing unread. */
  public Future<Void> markAllRead(Caller caller) {
    return inbox.markAllRead(caller.memberId(), clock.instant()).mapEmpty();
  }

  public Future<InboxNotification> markRead(Caller caller, String notificationId) {
    return inbox
        .markRead(caller.memberId(), notificationId, clock.instant())
        .compose(
            read ->
                read != null
                    ? explained(List.of(read)).map(one -> one.get(0))
                    : Future.failedFuture(
                        DomainException.notFound(
                            "notification", Map.of("notificationId", notificationId))));
  }

  public Future<NotificationPreferences> preferences(Caller caller) {
    return settings.of(caller.memberId());
  }

  /** Only the topics given change (null: as it was). */
  public Future<NotificationPreferences> changePreferences(
      Caller caller, Boolean reminders, Boolean announcements, Boolean results) {
    return settings.change(caller.memberId(), reminders, announcements, results);
  }

  /**
   * Completes when the push was attempted or left out because the member turned its topic off
   * (tests wait on it); never fails.
   */
  public Future<Void> push(InboxNotification notification) {
    if (push == null) {
      return Future.succeededFuture();
    }
    return settings
        .of(notification.memberId())
        .compose(
            chosen ->
                chosen.pushes(notification.kind())
                    ? pushToDevices(notification)
                    : Future.succeededFuture())
        .recover(
            failure -> {
              LOG.atWarn()
                  .addKeyValue("notificationId", notification.notificationId())
                  .setCause(failure)
                  .log("Push failed; the notification stays in the inbox");
              return Future.succeededFuture();
            });
  }

  private Future<Void> pushToDevices(InboxNotification notification) {
    return devices
        .tokensOf(notification.memberId())
        .compose(
            tokens ->
                tokens.isEmpty()
                    ? Future.succeededFuture(List.<String>of())
                    : explained(List.of(notification))
                        .compose(explained -> send(tokens, explained.get(0))))
        .compose(devices::removeAll);
  }

  private Future<List<String>> send(List<String> tokens, InboxNotification notification) {
    return languageOf(notification.memberId())
        .otherwise(Language.DEFAULT)
        .compose(
            language -> {
              Rendered words = render(notification, language);
              return push.send(tokens, words.title(), words.body(), payload(notification));
            });
  }

  private static Map<String, String> payload(InboxNotification notification) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("notificationId", notification.notificationId());
    data.put("kind", notification.kind().name());
    new JsonObject(notification.data())
        .forEach(entry -> data.put(entry.getKey(), String.valueOf(entry.getValue())));
    return data;
  }
}
