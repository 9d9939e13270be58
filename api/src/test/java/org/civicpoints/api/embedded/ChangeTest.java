package org.civicpoints.api.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal's and the snapshot's records: read back as written, and damage ends the reading. */
class ChangeTest {

  private static final List<Change> CHANGES =
      List.of(
          Change.put("db.claims", 7, new Document("_id", "c-7").append("note", "长者帮扶")),
          Change.remove("db.claims", 3),
          Change.drop("db.standings"),
          Change.end(1));

  @Test
  void records_read_back_as_they_were_written() throws IOException {
    byte[] bytes = written();

    List<Change> read = new ArrayList<>();
    assertThat(Change.readAll(new ByteArrayInputStream(bytes), read::add)).isEqualTo(bytes.length);
    assertThat(read).isEqualTo(CHANGES);
  }

  @Test
  void a_record_cut_short_or_damaged_ends_what_is_read_at_the_record_before_it()
      throws IOException {
    byte[] bytes = written();
    int firstRecord = bytes.length - lengthOfAllBut(0);

    byte[] cut = Arrays.copyOf(bytes, firstRecord + 5);
    List<Change> read = new ArrayList<>();
    assertThat(Change.readAll(new ByteArrayInputStream(cut), read::add)).isEqualTo(firstRecord);
    assertThat(read).containsExactly(CHANGES.get(0));

    byte[] damaged = bytes.clone();
    damaged[firstRecord + 12] ^= 1; // inside the second record's payload
    read.clear();
    assertThat(Change.readAll(new ByteArrayInputStream(damaged), read::add)).isEqualTo(firstRecord);
    assertThat(read).containsExactly(CHANGES.get(0));
  }

  private static byte[] written() {
    ByteBuf out = Unpooled.buffer(16);
    CHANGES.forEach(change -> change.writeTo(out));
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    return bytes;
  }

  /** The bytes of every record after the first {@code index + 1}. */
  private static int lengthOfAllBut(int index) {
    ByteBuf out = Unpooled.buffer(16);
    CHANGES.subList(index + 1, CHANGES.size()).forEach(change -> change.writeTo(out));
    return out.readableBytes();
  }
}
