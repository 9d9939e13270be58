package org.civicpoints.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.civicpoints.api.service.LeaderboardExport;
import org.civicpoints.api.service.LeaderboardExport.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an export as CSV: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), CRLF
 * line ends, RFC 4180 quoting. The next batch is read only when the response's write queue has
 * room, so the board never sits in memory whole.
 */
final class CsvExportStream {

  private static final Logger LOG = LoggerFactory.getLogger(CsvExportStream.class);
  private static final String BOM = "\uFEFF";
  private static final String CRLF = "\r\n";

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final LeaderboardExport export;
  private final ExportColumns columns;
  private boolean over;

  CsvExportStream(RoutingContext ctx, LeaderboardExport export) {
    this.ctx = ctx;
    this.response = ctx.response();
    this.export = export;
    this.columns = new ExportColumns(export);
  }

  void start() {
    response
        .setChunked(true)
        .putHeader("Content-Type", Contract.CSV + "; charset=utf-8")
        .putHeader("Content-Disposition", ExportColumns.disposition(export, "csv"))
        .closeHandler(v -> clientWentAway());
    response.write(BOM + line(ExportColumns.headers()));
    pump();
  }

  private void pump() {
    export
        .nextRows()
        .onComplete(
            next -> {
              if (over) {
                return;
              }
              if (next.failed()) {
                failed(next.cause());
                return;
              }
              List<Row> rows = next.result();
              if (rows.isEmpty()) {
                finish();
                return;
              }
              response.write(Buffer.buffer(lines(rows)));
              if (response.writeQueueFull()) {
                response.drainHandler(
                    drained -> {
                      response.drainHandler(null);
                      pump();
                    });
              } else {
                pump();
              }
            });
  }

  private String lines(List<Row> rows) {
    StringBuilder text = new StringBuilder(rows.size() * 160);
    rows.forEach(row -> text.append(line(columns.cells(row))));
    return text.toString();
  }

  /**
   * The audit record is written before the last byte: an export that could not be audited fails.
   */
  private void finish() {
    over = true;
    export.close().onSuccess(v -> response.end()).onFailure(ctx::fail);
  }

  private void failed(Throwable cause) {
    over = true;
    export
        .close()
        .onFailure(auditFailure -> LOG.error("Could not audit a failed export", auditFailure));
    ctx.fail(cause);
  }

  private void clientWentAway() {
    if (!over) {
      over = true;
      export
          .close()
          .onFailure(
              auditFailure -> LOG.error("Could not audit an interrupted export", auditFailure));
    }
  }

  static String line(List<?> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(cell(cells.get(i)));
    }
    return line.append(CRLF).toString();
  }

  /**
   * Text that a spreadsheet would run as a formula gets a leading ' first; then RFC 4180 quoting.
   */
  static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Number number) {
      return number.toString();
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
      text = "'" + text;
    }
    if (text.indexOf(',') >= 0
        || text.indexOf('"') >= 0
        || text.indexOf('\r') >= 0
        || text.indexOf('\n') >= 0) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
