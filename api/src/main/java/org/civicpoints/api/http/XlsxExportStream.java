package org.civicpoints.api.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.civicpoints.api.service.LeaderboardExport;
import org.civicpoints.api.service.OrderedIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an export as XLSX with POI's SXSSF: only a window of rows stays in memory, the rest goes
 * to a compressed temporary file, and the finished workbook is written to the response through
 * {@link ResponseOutputStream}, which waits whenever the client is slow. All POI work runs on the
 * export workers, one step at a time, never on the event loop. Text cells are string cells, never
 * formulas.
 */
final class XlsxExportStream {

  private static final Logger LOG = LoggerFactory.getLogger(XlsxExportStream.class);
  private static final int ROWS_IN_MEMORY = 100;

  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final LeaderboardExport export;
  private final ExportColumns columns;
  private final WorkerExecutor workers;
  private final Context context;
  private SXSSFWorkbook workbook;
  private SXSSFSheet sheet;
  private CellStyle plain;
  private int nextRow;
  private volatile boolean over;
  private volatile ResponseOutputStream output;

  XlsxExportStream(RoutingContext ctx, LeaderboardExport export, WorkerExecutor workers) {
    this.ctx = ctx;
    this.response = ctx.response();
    this.export = export;
    this.columns = new ExportColumns(export);
    this.workers = workers;
    this.context = Vertx.currentContext();
  }

  void start() {
    response
        .setChunked(true)
        .putHeader("Content-Type", Contract.XLSX)
        .putHeader("Content-Disposition", ExportColumns.disposition(export, "xlsx"))
        .closeHandler(v -> clientWentAway());
    OrderedIo.run(
            workers,
            () -> {
              workbook = new SXSSFWorkbook(ROWS_IN_MEMORY);
              workbook.setCompressTempFiles(true);
              sheet = workbook.createSheet("leaderboard");
              plain = workbook.getCellStyleAt(0);
              append(ExportColumns.headers());
            })
        .onSuccess(v -> pump())
        .onFailure(this::failed);
  }

  private void pump() {
    export
        .nextRows()
        .compose(
            rows ->
                rows.isEmpty()
                    ? writeWorkbook().map(true)
                    : OrderedIo.run(
                            workers,
                            () -> {
                              rows.forEach(row -> append(columns.cells(row)));
                            })
                        .map(false))
        .onComplete(
            step -> {
              if (over) {
                return;
              }
              if (step.failed()) {
                failed(step.cause());
              } else if (step.result()) {
                finish();
              } else {
                pump();
              }
            });
  }

  private void append(List<?> cells) {
    append(sheet.createRow(nextRow++), plain, cells);
  }

  /**
   * A small export as a whole workbook, for lists that fit in memory (a reward's redemptions); the
   * same cells as the streamed one. Blocking: run it on the export workers.
   */
  static byte[] workbook(String sheetName, List<? extends List<?>> rows) {
    SXSSFWorkbook small = new SXSSFWorkbook(ROWS_IN_MEMORY);
    try (small;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream()) {
      small.setCompressTempFiles(true);
      SXSSFSheet sheet = small.createSheet(sheetName);
      CellStyle plain = small.getCellStyleAt(0);
      for (int i = 0; i < rows.size(); i++) {
        append(sheet.createRow(i), plain, rows.get(i));
      }
      small.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      small.dispose();
    }
  }

  /** Numbers as numbers, everything else as a string cell: never a formula. */
  private static void append(org.apache.poi.ss.usermodel.Row row, CellStyle plain, List<?> cells) {
    for (int i = 0; i < cells.size(); i++) {
      Object value = cells.get(i);
      if (value == null) {
        continue;
      }
      Cell cell = row.createCell(i);
      // The default style, set explicitly: a cell without one looks up its column's style when
      // written.
      cell.setCellStyle(plain);
      if (value instanceof Number number) {
        cell.setCellValue(number.doubleValue());
      } else {
        cell.setCellValue(value.toString());
      }
    }
  }

  private Future<Void> writeWorkbook() {
    return OrderedIo.run(
        workers,
        () -> {
          try (ResponseOutputStream out = new ResponseOutputStream(response, context)) {
            output = out;
            workbook.write(out);
          }
          discardWorkbook();
        });
  }

  private void finish() {
    over = true;
    export.close().onSuccess(v -> response.end()).onFailure(ctx::fail);
  }

  private void failed(Throwable cause) {
    over = true;
    cleanUp("a failed");
    ctx.fail(cause);
  }

  private void clientWentAway() {
    if (!over) {
      over = true;
      ResponseOutputStream writing = output;
      if (writing != null) {
        writing.abort();
      }
      cleanUp("an interrupted");
    }
  }

  private void cleanUp(String what) {
    export
        .close()
        .onFailure(auditFailure -> LOG.error("Could not audit {} export", what, auditFailure));
    OrderedIo.run(workers, this::discardWorkbook)
        .onFailure(e -> LOG.error("Could not discard the export's temporary file", e));
  }

  /** Deletes the temporary sheet file; only ever called on the export workers. */
  private void discardWorkbook() throws IOException {
    if (workbook != null) {
      workbook.dispose();
      workbook.close();
      workbook = null;
    }
  }
}
