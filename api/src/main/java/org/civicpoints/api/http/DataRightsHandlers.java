package org.civicpoints.api.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.civicpoints.api.domain.Consent;
import org.civicpoints.api.domain.ConsentPurpose;
import org.civicpoints.api.domain.DataExport;
import org.civicpoints.api.service.AccountDeletion;
import org.civicpoints.api.service.ConsentService;
import org.civicpoints.api.service.ConsentService.Current;
import org.civicpoints.api.service.ConsentService.MyConsents;
import org.civicpoints.api.service.DataExportService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Personal-data rights of the caller: a copy of their data, deleting the account, consents. */
public final class DataRightsHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(DataRightsHandlers.class);

  private final DataExportService exports;
  private final AccountDeletion deletion;
  private final ConsentService consents;

  public DataRightsHandlers(
      DataExportService exports, AccountDeletion deletion, ConsentService consents) {
    this.exports = exports;
    this.deletion = deletion;
    this.consents = consents;
  }

  public Map<String, Handler<RoutingContext>> operations() {
    return Map.of(
        "exportMyData", this::exportMyData,
        "requestDataExport", this::requestDataExport,
        "getDataExport", Replies.byId("exportId", exports::status, DataRightsHandlers::export),
        "downloadDataExport", this::downloadDataExport,
        "deleteMe", this::deleteMe,
        "listMyConsents", this::listMyConsents,
        "recordConsent", this::recordConsent);
  }

  /** Streams a fresh ZIP: written on the workers in 64 KiB chunks as the client reads. */
  private void exportMyData(RoutingContext ctx) {
    String memberId = Authentication.caller(ctx).memberId();
    HttpServerResponse response =
        zipResponse(ctx, "civic-points-" + memberId + ".zip").setChunked(true);
    ResponseOutputStream out = new ResponseOutputStream(response, Vertx.currentContext());
    response.closeHandler(v -> out.abort());
    exports
        .zipOf(memberId)
        .writeTo(() -> out)
        .onSuccess(bytes -> response.end())
        .onFailure(
            failure -> {
              if (response.headWritten()) {
                // Too late for a problem: a cut-off body is the signal, never a valid ZIP.
                LOG.warn("A data export stream broke off: {}", failure.toString());
                response.reset();
              } else {
                ctx.fail(failure);
              }
            });
  }

  private void requestDataExport(RoutingContext ctx) {
    Replies.json(
        ctx,
        202,
        () -> exports.request(Authentication.caller(ctx)).map(DataRightsHandlers::export));
  }

  /** The file once; deleted when sent (or when sending failed: the export is taken either way). */
  private void downloadDataExport(RoutingContext ctx) {
    String exportId = ValidInput.of(ctx).pathParam("exportId");
    exports
        .download(Authentication.caller(ctx), exportId)
        .onSuccess(
            file ->
                zipResponse(ctx, "civic-points-" + exportId + ".zip")
                    .sendFile(file.toString())
                    .onComplete(sent -> exports.discard(file)))
        .onFailure(ctx::fail);
  }

  private HttpServerResponse zipResponse(RoutingContext ctx, String fileName) {
    return ctx.response()
        .setStatusCode(200)
        .putHeader("Content-Type", Contract.ZIP)
        .putHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
        .putHeader("X-Content-Type-Options", "nosniff");
  }

  private void deleteMe(RoutingContext ctx) {
    Replies.noContent(ctx, () -> deletion.deleteMe(Authentication.caller(ctx)));
  }

  private void listMyConsents(RoutingContext ctx) {
    Replies.json(
        ctx, 200, () -> consents.mine(Authentication.caller(ctx)).map(DataRightsHandlers::view));
  }

  private void recordConsent(RoutingContext ctx) {
    ValidInput input = ValidInput.of(ctx);
    ConsentPurpose purpose = ConsentPurpose.valueOf(input.pathParam("purpose"));
    Replies.json(
        ctx,
        200,
        () ->
            consents
                .record(
                    Authentication.caller(ctx),
                    purpose,
                    input.body().getString("choice"),
                    input.body().getString("textVersion"))
                .map(DataRightsHandlers::view));
  }

  private static JsonObject export(DataExport export) {
    JsonObject view =
        new JsonObject()
            .put("exportId", export.exportId())
            .put("status", export.status().name())
            .put("requestedAt", export.requestedAt().toString());
    if (export.readyAt() != null) {
      view.put("readyAt", export.readyAt().toString()).put("bytes", export.bytes());
    }
    return view;
  }

  private static JsonObject view(MyConsents mine) {
    return new JsonObject()
        .put("current", Views.array(mine.current(), DataRightsHandlers::current))
        .put("history", Views.array(mine.history(), DataRightsHandlers::consent));
  }

  private static JsonObject current(Current current) {
    JsonObject view =
        new JsonObject()
            .put("purpose", current.purpose().name())
            .put("choice", current.choice())
            .put("currentTextVersion", current.purpose().textVersion());
    current
        .recorded()
        .ifPresent(
            c ->
                view.put("textVersion", c.textVersion())
                    .put("recordedAt", c.recordedAt().toString()));
    return view;
  }

  private static JsonObject consent(Consent consent) {
    return new JsonObject()
        .put("consentId", consent.consentId())
        .put("purpose", consent.purpose().name())
        .put("choice", consent.choice())
        .put("textVersion", consent.textVersion())
        .put("recordedAt", consent.recordedAt().toString());
  }
}
