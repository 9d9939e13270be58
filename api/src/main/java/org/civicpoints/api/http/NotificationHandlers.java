package org.civicpoints.api.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.Function;
import org.civicpoints.api.domain.InboxNotification;
import org.civicpoints.api.domain.Language;
import org.civicpoints.api.domain.NotificationPreferences;
import org.civicpoints.api.service.NotificationService;

/** Tag "Notifications": the caller's devices and in-app inbox. */
public final class NotificationHandlers {

  private final NotificationService notifications;

  public NotificationHandlers(NotificationService notifications) {
    this.notifications = notifications;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "registerDevice", this::registerDevice,
        "removeDevice", Replies.noContentById("token", notifications::removeDevice),
        "listNotifications", this::list,
        "markNotificationRead", this::markRead,
        "markAllNotificationsRead", this::markAllRead,
        "getNotificationPreferences", this::getPreferences,
        "changeNotificationPreferences", this::changePreferences);
  }

  private void registerDevice(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.noContent(
        ctx,
        () ->
            notifications.registerDevice(
                Authentication.caller(ctx), body.getString("token"), body.getString("platform")));
  }

  private void list(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    inReadersLanguage(
        ctx,
        language ->
            notifications
                .list(Authentication.caller(ctx), input.queryParam("cursor"), Inputs.limit(input))
                .map(page -> CatalogViews.page(page, n -> view(n, language)))
                .compose(
                    page ->
                        notifications
                            .unreadCount(Authentication.caller(ctx))
                            .map(unread -> page.put("unreadCount", unread))));
  }

  private void getPreferences(RoutingContext ctx) {
    Replies.json(
        ctx,
        200,
        () ->
            notifications
                .preferences(Authentication.caller(ctx))
                .map(NotificationHandlers::preferences));
  }

  private void changePreferences(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    Replies.json(
        ctx,
        200,
        () ->
            notifications
                .changePreferences(
                    Authentication.caller(ctx),
                    body.getBoolean("reminders"),
                    body.getBoolean("announcements"),
                    body.getBoolean("results"))
                .map(NotificationHandlers::preferences));
  }

  private static JsonObject preferences(NotificationPreferences chosen) {
    return new JsonObject()
        .put("reminders", chosen.reminders())
        .put("announcements", chosen.announcements())
        .put("results", chosen.results());
  }

  private void markAllRead(RoutingContext ctx) {
    Replies.noContent(ctx, () -> notifications.markAllRead(Authentication.caller(ctx)));
  }

  private void markRead(RoutingContext ctx) {
    String notificationId = ValidInput.of(ctx).pathParam("notificationId");
    inReadersLanguage(
        ctx,
        language ->
            notifications
                .markRead(Authentication.caller(ctx), notificationId)
                .map(notification -> view(notification, language)));
  }

  /** Answers 200 with what {@code answer} writes in the reader's language. */
  private void inReadersLanguage(
      RoutingContext ctx, Function<Language, Future<JsonObject>> answer) {
    Replies.json(ctx, 200, () -> language(ctx).compose(answer));
  }

  /** The reader's language, as for problems; the answer says which it is. */
  private Future<Language> language(RoutingContext ctx) {
    return RequestLanguage.ofAnswer(ctx, notifications::languageOf);
  }

  private JsonObject view(InboxNotification notification, Language language) {
    return CatalogViews.notification(notification, notifications.render(notification, language));
  }
}
