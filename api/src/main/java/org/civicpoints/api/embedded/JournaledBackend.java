package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.AbstractSynchronizedMongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: mongo-java-server with its documents on the heap, as its memory backend keeps
 * them, and a journal on disk that a write is forced into before it is answered ({@link Journal},
 * group commit). Opening the store loads the last {@link Snapshot} and replays the journal over it;
 * a snapshot is taken in the background once the journal has grown past twice the snapshot's size
 * (at least {@value #MIN_JOURNAL_MB} MB), after which the older journal files are deleted.
 *
 * <p>A directory holding the H2 file of earlier versions ({@value #H2_FILE}) is migrated when first
 * opened: its documents become the first snapshot and the file is renamed {@value #H2_MIGRATED}.
 */
final class JournaledBackend extends AbstractMongoBackend {

  static final String H2_FILE = "civic-points.mv";
  static final String H2_MIGRATED = "civic-points.mv.migrated";

  /** Commands that never write; anything else waits for the journal before its reply. */
  private static final Set<String> READS =
      Set.of(
          "find",
          "getMore",
          "killCursors",
          "count",
          "distinct",
          // This API never aggregates with $out or $merge.
          "aggregate",
          "listCollections",
          "listIndexes",
          "listDatabases",
          "dbStats",
          "collStats",
          "serverStatus",
          "buildInfo",
          "buildinfo",
          "hello",
          "isMaster",
          "ismaster",
          "ping",
          "endSessions",
          "whatsmyuri",
          "getLastError",
          "getlasterror",
          "getCmdLineOpts",
          "getParameter",
          "hostInfo",
          "connectionStatus",
          "getFreeMonitoringStatus",
          "getLog");

  private static final Logger LOG = LoggerFactory.getLogger(JournaledBackend.class);
  private static final long MIN_JOURNAL_MB = 64;

  /**
   * A snapshot rewrites every document; taken once the journal holds twice the last one, it costs
   * at most half a byte of writing per byte journaled, and a start replays at most that much
   * journal. (At once the snapshot's size, snapshots took a tenth of the two cores under the
   * approval benchmark.)
   */
  private static final long JOURNAL_PER_SNAPSHOT = 2;

  private static final long HOUSEKEEPING_SECONDS = 10;
  private static final long COSTS_SECONDS = 60;
  private static final int COSTS_REPORTED = 25;

  private final Path directory;
  private final Journal journal;
  private final StoreImage image;
  private final Set<JournaledCollection> collections = ConcurrentHashMap.newKeySet();
  private final CommandCosts costs = CommandCosts.fromSystemProperty();
  private final Object snapshotting = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-mongo-housekeeping");
            thread.setDaemon(true);
            return thread;
          });

  private JournaledBackend(Path directory, Journal journal, StoreImage image) {
    this.directory = directory;
    this.journal = journal;
    this.image = image;
    image.databaseNames().forEach(this::resolveDatabase);
    if (!image.untaken().isEmpty()) {
      LOG.warn(
          "The embedded store has documents of collections no database lists, left out: {}",
          image.untaken());
      image.untaken().clear();
    }
    housekeeping.scheduleWithFixedDelay(
        this::snapshotWhenDue, HOUSEKEEPING_SECONDS, HOUSEKEEPING_SECONDS, TimeUnit.SECONDS);
    if (costs.measured()) {
      housekeeping.scheduleWithFixedDelay(
          () -> LOG.info(costs.report(COSTS_REPORTED)),
          COSTS_SECONDS,
          COSTS_SECONDS,
          TimeUnit.SECONDS);
    }
  }

  /**
   * Blocking: opens the store kept in {@code directory} (creating it, or migrating an H2 file of
   * earlier versions): the snapshot, then every journal file after it, a record cut short at the
   * end of the last one (the process died writing it, before answering) cut off.
   */
  static JournaledBackend open(Path directory) {
    deleteIfExists(directory.resolve(Snapshot.PARTIAL));
    migrateH2File(directory);
    StoreImage image = new StoreImage();
    long first = Snapshot.load(directory, image);
    long next = first;
    List<Path> files = Journal.files(directory);
    for (Path file : files) {
      long sequence = Journal.sequenceOf(file);
      if (sequence < first) {
        deleteIfExists(file);
      } else {
        replay(file, image, file.equals(files.get(files.size() - 1)));
        next = sequence + 1;
      }
    }
    return new JournaledBackend(directory, Journal.start(directory, next), image);
  }

  private static void replay(Path file, StoreImage image, boolean last) {
    try {
      long whole;
      try (InputStream in =
          new BufferedInputStream(Files.newInputStream(file), Snapshot.READ_BUFFER)) {
        whole = Change.readAll(in, image::apply);
      }
      long size = Files.size(file);
      if (whole < size) {
        if (!last) {
          throw new IllegalStateException(
              "The embedded store's journal "
                  + file
                  + " is damaged at byte "
                  + whole
                  + " and later files follow it; restore DATA_DIR/mongo from a backup");
        }
        LOG.warn(
            "The embedded store's journal {} ends in {} bytes of a write that was never answered; cut off",
            file,
            size - whole);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.truncate(whole);
          channel.force(false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static void migrateH2File(Path directory) {
    Path h2File = directory.resolve(H2_FILE);
    if (!Files.exists(h2File)) {
      return;
    }
    if (Snapshot.exists(directory) || !Journal.files(directory).isEmpty()) {
      LOG.warn(
          "{} is not read: the embedded store already has a snapshot or a journal (a migration that"
              + " stopped after writing its snapshot leaves the file so); move it away",
          h2File);
      return;
    }
    LOG.info("Migrating the embedded store's H2 file {} to a snapshot and journal", h2File);
    H2FileBackend h2 = H2FileBackend.open(h2File.toString());
    try {
      Snapshot.write(directory, 1, h2::copyTo);
    } finally {
      h2.close();
    }
    try {
      Files.move(h2File, directory.resolve(H2_MIGRATED));
      StoreFiles.forceDirectory(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rename " + h2File + " to " + H2_MIGRATED, e);
    }
  }

  private static void deleteIfExists(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + file, e);
    }
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName);
  }

  /** mongo-java-server's memory database, its collections journaled and restored from the image. */
  private final class Database extends AbstractSynchronizedMongoDatabase<Integer> {

    Database(String name) {
      super(name, getCursorRegistry());
      initializeNamespacesAndIndexes();
    }

    @Override
    protected MongoCollection<Integer> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      JournaledCollection collection =
          new JournaledCollection(
              this,
              collectionName,
              options,
              cursorRegistry,
              journal,
              image.take(getFullCollectionNamespace(collectionName)));
      collections.add(collection);
      return collection;
    }

    @Override
    public void dropCollection(String collectionName, Oplog oplog) {
      MongoCollection<Integer> collection = resolveCollection(collectionName, true);
      super.dropCollection(collectionName, oplog);
      collections.remove(collection);
    }

    /** mongo-java-server keeps no such index in memory; the collection keeps a lookup instead. */
    @Override
    protected Index<Integer> openOrCreateSecondaryIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      ((JournaledCollection) resolveCollection(collectionName, true))
          .lookUpBy(keys.get(0).getKey());
      return super.openOrCreateSecondaryIndex(collectionName, indexName, keys, sparse);
    }

    @Override
    protected Index<Integer> openOrCreateUniqueIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      return new MemoryUniqueIndex(indexName, keys, sparse);
    }

    @Override
    protected long getStorageSize() {
      return 0;
    }

    @Override
    protected long getFileSize() {
      return 0;
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    long started = costs.start();
    try {
      if (READS.contains(command)) {
        return super.handleCommand(channel, database, command, query);
      }
      try {
        return super.handleCommand(channel, database, command, query);
      } finally {
        // Also after a failure: an ordered bulk write stopped at a duplicate key kept what it
        // wrote before it, and its error reply says so.
        long number = journal.commandEnded();
        long forcing = costs.start();
        journal.awaitForced(number);
        costs.commit(forcing);
      }
    } finally {
      costs.command(command, query, started);
    }
  }

  private void snapshotWhenDue() {
    try {
      long journalBytes = 0;
      for (Path file : Journal.files(directory)) {
        journalBytes += Files.size(file);
      }
      long snapshotBytes =
          Snapshot.exists(directory) ? Files.size(directory.resolve(Snapshot.FILE)) : 0;
      if (journalBytes > Math.max(MIN_JOURNAL_MB << 20, JOURNAL_PER_SNAPSHOT * snapshotBytes)) {
        snapshot();
      }
    } catch (IOException | RuntimeException failed) {
      LOG.warn("Taking a snapshot of the embedded store failed; it is tried again", failed);
    }
  }

  /**
   * Blocking: starts a new journal file, writes every collection to a snapshot that replays from
   * it, and deletes the journal files before it.
   */
  void snapshot() {
    synchronized (snapshotting) {
      long started = System.nanoTime();
      long from = journal.rotate();
      int documents =
          Snapshot.write(directory, from, sink -> collections.forEach(each -> each.writeTo(sink)));
      for (Path file : Journal.files(directory)) {
        if (Journal.sequenceOf(file) < from) {
          deleteIfExists(file);
        }
      }
      LOG.info(
          "Snapshot of the embedded store: {} documents, {} MB, in {} ms; the journal goes on from {}",
          documents,
          directory.resolve(Snapshot.FILE).toFile().length() >> 20,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          Journal.file(directory, from).getFileName());
    }
  }

  /**
   * Blocking: what was recorded is forced to the journal, then it is closed. Called by {@code
   * MongoServer.shutdown} too; only the first call closes.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      housekeeping.shutdownNow();
      if (costs.measured()) {
        LOG.info(costs.report(COSTS_REPORTED));
      }
      super.close();
      synchronized (snapshotting) {
        journal.close();
      }
    }
  }

  /** Stops as a killed process does: nothing recorded but not yet forced reaches the journal. */
  void closeImmediately() {
    if (closed.compareAndSet(false, true)) {
      housekeeping.shutdownNow();
      journal.closeImmediately();
    }
  }
}
