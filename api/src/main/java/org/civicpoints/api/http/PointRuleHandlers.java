package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;
import org.civicpoints.api.domain.Category;
import org.civicpoints.api.service.PointRuleService;
import org.civicpoints.api.service.PointRuleService.NewRule;
import org.civicpoints.api.service.PointRuleService.RuleChange;

/** Tag "PointRules": admins create and change rules; everyone signed in reads them. */
public final class PointRuleHandlers {

  private final PointRuleService rules;

  public PointRuleHandlers(PointRuleService rules) {
    this.rules = rules;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "createPointRule", this::create,
        "listPointRules", this::list,
        "getPointRule", this::get,
        "changePointRule", this::change);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ValidInput.of(ctx).body();
    NewRule request =
        new NewRule(
            Category.valueOf(body.getString("category")),
            body.getLong("points"),
            body.getLong("dailyCap"),
            body.getLong("yearlyCap"),
            body.getString("title").strip());
    Replies.json(
        ctx,
        201,
        () ->
            rules
                .create(Authentication.caller(ctx), request)
                .map(
                    rule ->
                        new JsonObject()
                            .put("ruleId", rule.ruleId())
                            .put("version", rule.version())));
  }

  private void list(RoutingContext ctx) {
    Replies.json(ctx, 200, () -> rules.list().map(all -> Views.items(all, CatalogViews::rule)));
  }

  private void get(RoutingContext ctx) {
    String ruleId = ValidInput.of(ctx).pathParam("ruleId");
    Replies.json(ctx, 200, () -> rules.get(ruleId).map(CatalogViews::rule));
  }

  private void change(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    JsonObject body = input.body();
    RuleChange change =
        new RuleChange(
            Optional.ofNullable(body.getLong("points")),
            Optional.ofNullable(body.getLong("dailyCap")),
            Optional.ofNullable(body.getLong("yearlyCap")),
            Optional.ofNullable(body.getString("title")).map(String::strip),
            Optional.ofNullable(body.getBoolean("active")));
    Replies.json(
        ctx,
        200,
        () ->
            rules
                .change(Authentication.caller(ctx), input.pathParam("ruleId"), change)
                .map(CatalogViews::rule));
  }
}
