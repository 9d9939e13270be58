package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.domain.Announcement;
import org.civicpoints.api.domain.Announcement.Link;
import org.civicpoints.api.service.AnnouncementService;
import org.civicpoints.api.service.AnnouncementService.NewAnnouncement;

/** Tag "Announcements": staff and admins announce, residents read theirs. */
public final class AnnouncementHandlers {

  private final AnnouncementService announcements;

  public AnnouncementHandlers(AnnouncementService announcements) {
    this.announcements = announcements;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of("createAnnouncement", this::create, "listAnnouncements", this::list);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    JsonObject link = body.getJsonObject("link");
    NewAnnouncement request =
        new NewAnnouncement(
            body.getString("scopeId"),
            body.getString("title").strip(),
            body.getString("body").strip(),
            link == null
                ? null
                : new Link(Link.Kind.valueOf(link.getString("kind")), link.getString("id")),
            body.getBoolean("pinned", false),
            body.containsKey("until") ? Inputs.instant(body, "until") : null);
    Replies.json(
        ctx,
        201,
        () ->
            announcements
                .announce(Authentication.caller(ctx), request)
                .map(AnnouncementHandlers::view));
  }

  private void list(RoutingContext ctx) {
    Replies.json(
        ctx,
        200,
        () ->
            announcements
                .shownTo(Authentication.caller(ctx))
                .map(shown -> Views.items(shown, AnnouncementHandlers::view)));
  }

  private static JsonObject view(Announcement announcement) {
    JsonObject json =
        new JsonObject()
            .put("announcementId", announcement.announcementId())
            .put("scopeId", announcement.scopeId())
            .put("title", announcement.title())
            .put("body", announcement.body())
            .put("pinned", announcement.pinned())
            .put("createdAt", announcement.createdAt().toString());
    if (announcement.link() != null) {
      json.put(
          "link",
          new JsonObject()
              .put("kind", announcement.link().kind().name())
              .put("id", announcement.link().id()));
    }
    Views.putIfPresent(json, "until", announcement.until());
    return json;
  }
}
