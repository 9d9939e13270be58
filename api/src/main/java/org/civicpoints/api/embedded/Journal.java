package org.civicpoints.api.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The embedded store's journal: every change, appended to {@code journal-<n>.log} and forced to
 * disk before the command that made it is answered.
 *
 * <p>Group commit: a command's changes are recorded in memory while it runs; when it ends it takes
 * a number and waits until the journal is forced past it. The first to wait writes and forces
 * everything recorded so far, covering every command that ended before; the others find their
 * number covered. A command still running when the journal is forced may have some of its changes
 * on disk and others not, as a multi-document write may on MongoDB; it is not answered yet.
 *
 * <p>A snapshot starts a new file ({@link #rotate}); the files before it are deleted once the
 * snapshot is on disk. A file that has grown to {@value #FILE_BYTES} bytes is followed by a new one
 * too.
 */
final class Journal implements AutoCloseable {

  private static final String PREFIX = "journal-";
  private static final String SUFFIX = ".log";
  private static final int INITIAL_BUFFER = 1 << 16;

  /** A file is closed and the next started once it holds this much, snapshot or not. */
  private static final long FILE_BYTES = 256L << 20;

  private final Path directory;
  private final AtomicLong ended = new AtomicLong();
  private final Object forcing = new Object();
  private ByteBuf recorded = Unpooled.buffer(INITIAL_BUFFER); // guarded by this
  private volatile long forced;
  private volatile UncheckedIOException failed;
  private FileOutputStream file; // guarded by forcing
  private long sequence; // guarded by forcing
  private long bytesInFile; // guarded by forcing

  private Journal(Path directory, long sequence) {
    this.directory = directory;
    this.sequence = sequence;
    this.file = create(directory, sequence);
  }

  /** Blocking: starts a new journal file numbered {@code sequence} in {@code directory}. */
  static Journal start(Path directory, long sequence) {
    return new Journal(directory, sequence);
  }

  /** The journal files in {@code directory}, by their number. */
  static List<Path> files(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(file -> isJournal(file.getFileName().toString()))
          .sorted(Comparator.comparingLong(Journal::sequenceOf))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory, e);
    }
  }

  private static boolean isJournal(String name) {
    return name.startsWith(PREFIX)
        && name.endsWith(SUFFIX)
        && name.substring(PREFIX.length(), name.length() - SUFFIX.length()).matches("[0-9]+");
  }

  static long sequenceOf(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  static Path file(Path directory, long sequence) {
    return directory.resolve(String.format("%s%06d%s", PREFIX, sequence, SUFFIX));
  }

  /** Called while the changed collection is locked. */
  synchronized void record(Change change) {
    change.writeTo(recorded);
  }

  /** Called when a command that may have written ends; its number for {@link #awaitForced}. */
  long commandEnded() {
    return ended.incrementAndGet();
  }

  /** Blocking: returns once everything the command numbered {@code command} recorded is on disk. */
  void awaitForced(long command) {
    synchronized (forcing) {
      if (failed != null) {
        throw failed;
      }
      if (forced < command) {
        forceAll();
        if (bytesInFile >= FILE_BYTES) {
          startNextFile();
        }
      }
    }
  }

  /**
   * Blocking: forces what was recorded into the current file and starts the next; returns the new
   * file's number, from which on a snapshot taken now must be replayed.
   */
  long rotate() {
    synchronized (forcing) {
      forceAll();
      startNextFile();
      return sequence;
    }
  }

  /** Forces what every command that has ended recorded (and perhaps some of a running one's). */
  private void forceAll() {
    long covered = ended.get();
    force();
    forced = covered;
  }

  private void startNextFile() {
    close(file);
    sequence++;
    file = create(directory, sequence);
    bytesInFile = 0;
  }

  /**
   * Writes and forces what was recorded. A failure (a full disk) is final: what is in memory is no
   * longer all in the journal, so no later write may be answered either.
   */
  private void force() {
    ByteBuf batch = takeRecorded();
    try {
      bytesInFile += batch.readableBytes();
      batch.readBytes(file, batch.readableBytes());
      file.getFD().sync();
    } catch (IOException e) {
      failed = new UncheckedIOException("Cannot write the embedded store's journal", e);
      throw failed;
    } finally {
      batch.release();
    }
  }

  private synchronized ByteBuf takeRecorded() {
    ByteBuf batch = recorded;
    recorded = Unpooled.buffer(Math.max(INITIAL_BUFFER, batch.capacity() / 2));
    return batch;
  }

  /**
   * A stream rather than a {@code FileChannel}: a channel is closed for good when a thread writing
   * to it is interrupted (a Netty event loop shut down, the housekeeping executor stopped).
   */
  private static FileOutputStream create(Path directory, long sequence) {
    Path path = file(directory, sequence);
    try {
      Files.createFile(path);
      FileOutputStream stream = new FileOutputStream(path.toFile(), true);
      StoreFiles.forceDirectory(directory);
      return stream;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + path, e);
    }
  }

  private static void close(FileOutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close the embedded store's journal", e);
    }
  }

  /** Closes the file, what was recorded since the last force left unwritten. */
  void closeImmediately() {
    synchronized (forcing) {
      close(file);
    }
  }

  /** Blocking: forces what is left and closes the file. */
  @Override
  public void close() {
    synchronized (forcing) {
      force();
      close(file);
    }
  }
}
