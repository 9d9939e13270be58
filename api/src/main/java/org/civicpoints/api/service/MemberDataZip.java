package org.civicpoints.api.service;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.civicpoints.api.domain.ProcessedPhoto.Variant;
import org.civicpoints.api.port.EvidenceStore;
import org.civicpoints.api.port.MemberData;
import org.civicpoints.api.port.MemberData.Section;

/**
 * Writes one member's data as a ZIP: manifest.json, one JSON array per {@link Section}, and every
 * evidence photo under photos/. Records are read a page at a time and photos one at a time on the
 * event loop; the ZIP is written on the workers, step after step, so neither a long history nor
 * many photos are ever held in memory and no event loop waits for a disk or a client.
 */
public final class MemberDataZip {

  static final int PAGE = 200;

  private final MemberData data;
  private final EvidenceStore photos;
  private final WorkerExecutor workers;
  private final String memberId;
  private final Instant exportedAt;
  private ZipOutputStream zip;
  private Counting counted;

  public MemberDataZip(
      MemberData data,
      EvidenceStore photos,
      WorkerExecutor workers,
      String memberId,
      Instant exportedAt) {
    this.data = data;
    this.photos = photos;
    this.workers = workers;
    this.memberId = memberId;
    this.exportedAt = exportedAt;
  }

  /**
   * Opens {@code out} on a worker, writes the whole ZIP into it and closes it; answers how many
   * bytes were written. A failure closes nothing that a caller must close again.
   */
  public Future<Long> writeTo(Supplier<OutputStream> out) {
    return OrderedIo.run(
            workers,
            () -> {
              counted = new Counting(out.get());
              zip = new ZipOutputStream(counted, StandardCharsets.UTF_8);
              entry("manifest.json", manifest().encodePrettily());
            })
        .compose(v -> sections(Arrays.asList(Section.values())))
        .compose(v -> data.evidenceIds(memberId))
        .compose(ids -> photos(ids, 0))
        .compose(v -> OrderedIo.run(workers, zip::close))
        .map(v -> counted.bytes)
        .onFailure(failed -> OrderedIo.run(workers, this::closeQuietly));
  }

  private JsonObject manifest() {
    return new JsonObject()
        .put("memberId", memberId)
        .put("exportedAt", exportedAt.toString())
        .put("files", Arrays.stream(Section.values()).map(Section::fileName).toList())
        .put(
            "note",
            "Points entries are on the ledger under the pseudonymous member id only; the ledger holds"
                + " no name, phone number or photo. ledger-entries.json lists each entry with its"
                + " txId, which GET /v1/me/points/entries/{entryId}/receipt checks against the chain.");
  }

  private Future<Void> sections(List<Section> left) {
    if (left.isEmpty()) {
      return Future.succeededFuture();
    }
    Section section = left.get(0);
    return OrderedIo.run(
            workers,
            () -> {
              zip.putNextEntry(new ZipEntry(section.fileName()));
              write("[");
            })
        .compose(v -> records(section, null, true))
        .compose(v -> OrderedIo.run(workers, () -> write("\n]\n")))
        .compose(v -> sections(left.subList(1, left.size())));
  }

  private Future<Void> records(Section section, String afterId, boolean first) {
    return data.page(section, memberId, afterId, PAGE)
        .compose(
            page ->
                page.isEmpty()
                    ? Future.succeededFuture()
                    : OrderedIo.run(workers, () -> writeRecords(page, first))
                        .compose(
                            v ->
                                page.size() < PAGE
                                    ? Future.succeededFuture()
                                    : records(
                                        section,
                                        page.get(page.size() - 1).getString("_id"),
                                        false)));
  }

  private void writeRecords(List<JsonObject> page, boolean first) throws IOException {
    for (int i = 0; i < page.size(); i++) {
      write((first && i == 0 ? "\n" : ",\n") + page.get(i).encode());
    }
  }

  private Future<Void> photos(List<String> evidenceIds, int next) {
    if (next == evidenceIds.size()) {
      return Future.succeededFuture();
    }
    String evidenceId = evidenceIds.get(next);
    return photos
        .get(evidenceId, Variant.PHOTO)
        .compose(
            jpeg ->
                jpeg == null
                    ? Future.succeededFuture()
                    : OrderedIo.run(workers, () -> entry("photos/" + evidenceId + ".jpg", jpeg)))
        .compose(v -> photos(evidenceIds, next + 1));
  }

  private void entry(String name, String text) throws IOException {
    entry(name, text.getBytes(StandardCharsets.UTF_8));
  }

  private void entry(String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private void write(String text) throws IOException {
    zip.write(text.getBytes(StandardCharsets.UTF_8));
  }

  private void closeQuietly() throws IOException {
    if (zip != null) {
      zip.close();
    } else if (counted != null) {
      counted.close();
    }
  }

  /** Counts what passes, so the export can say its size. */
  private static final class Counting extends FilterOutputStream {
    private long bytes;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes += len;
    }
  }
}
