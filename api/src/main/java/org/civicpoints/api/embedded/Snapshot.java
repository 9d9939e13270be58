package org.civicpoints.api.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * The embedded store's snapshot: every document at its position, and the number of the journal file
 * from which on the journal must be replayed over it. Written beside as {@code snapshot.partial},
 * forced, and renamed over the last one, so a crash leaves either.
 *
 * <p>A snapshot is taken while commands run: each position of each collection is in it as it was at
 * some moment after the journal file it names was started, and that file has every change made
 * since, each a document's whole state at a position (or the position emptied, or the collection
 * dropped). Replaying them over the snapshot ends at the state the last of them left.
 */
final class Snapshot {

  static final String FILE = "snapshot";
  static final String PARTIAL = "snapshot.partial";
  private static final int MAGIC = 0x43505331; // "CPS1"
  private static final int HEAD_BYTES = Integer.BYTES + Long.BYTES;
  private static final int FLUSH_BYTES = 1 << 20;
  static final int READ_BUFFER = 1 << 16;

  private Snapshot() {}

  static boolean exists(Path directory) {
    return Files.exists(directory.resolve(FILE));
  }

  /**
   * Blocking: writes the changes {@code contents} hands to its sink (puts) as the snapshot to be
   * followed by journal file {@code journalSequence}; returns how many documents it holds.
   */
  static int write(Path directory, long journalSequence, Consumer<Consumer<Change>> contents) {
    Path partial = directory.resolve(PARTIAL);
    ByteBuf buffer = Unpooled.buffer(FLUSH_BYTES * 2);
    // A stream, not a FileChannel, which an interrupt (the housekeeping executor stopped) closes.
    try (FileOutputStream file = new FileOutputStream(partial.toFile())) {
      buffer.writeInt(MAGIC).writeLong(journalSequence);
      int[] count = {0};
      contents.accept(
          change -> {
            change.writeTo(buffer);
            count[0]++;
            if (buffer.readableBytes() >= FLUSH_BYTES) {
              drain(buffer, file);
            }
          });
      Change.end(count[0]).writeTo(buffer);
      drain(buffer, file);
      file.getFD().sync();
      Files.move(partial, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
      StoreFiles.forceDirectory(directory);
      return count[0];
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the embedded store's snapshot " + partial, e);
    } finally {
      buffer.release();
    }
  }

  private static void drain(ByteBuf buffer, FileOutputStream file) {
    try {
      buffer.readBytes(file, buffer.readableBytes());
      buffer.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Blocking: puts the snapshot's documents into {@code image}; returns the number of the first
   * journal file to replay over it (1 when there is no snapshot yet).
   */
  static long load(Path directory, StoreImage image) {
    Path path = directory.resolve(FILE);
    if (!Files.exists(path)) {
      return 1;
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(path), READ_BUFFER))) {
      if (Files.size(path) < HEAD_BYTES || in.readInt() != MAGIC) {
        throw damaged(path, "it does not start as a snapshot does");
      }
      long journalSequence = in.readLong();
      Change[] last = {null};
      int[] puts = {0};
      long whole =
          Change.readAll(
              in,
              change -> {
                image.apply(change);
                last[0] = change;
                puts[0] += change.kind() == Change.Kind.PUT ? 1 : 0;
              });
      if (HEAD_BYTES + whole != Files.size(path)
          || last[0] == null
          || last[0].kind() != Change.Kind.END
          || last[0].position() != puts[0]) {
        throw damaged(path, "it does not end with the count of its documents");
      }
      return journalSequence;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  private static IllegalStateException damaged(Path path, String why) {
    return new IllegalStateException(
        "The embedded store's snapshot "
            + path
            + " is damaged: "
            + why
            + "; restore DATA_DIR/mongo from a backup");
  }
}
