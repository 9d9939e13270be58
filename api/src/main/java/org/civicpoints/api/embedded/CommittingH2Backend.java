package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend that answers a write only once the H2 file holds it (written and
 * forced to disk). Left to itself the backend commits its MVStore in the background about once a
 * second, so a crash lost writes it had acknowledged.
 *
 * <p>Group commit: every command that may write runs under a shared lock and, before its reply is
 * sent, waits for a commit that covers it; one waiting thread commits for all that finished
 * meanwhile, under the exclusive lock, so a commit never splits a command (a document without its
 * index entries). The MVStore is opened without its own background commits, which would not take
 * that lock; housekeeping (rewriting sparse chunks) runs under it instead.
 *
 * <p>Reads take the shared lock too. With a retention time of 0 a commit or a compaction frees dead
 * chunks at once, and a read that was walking an older version of a map then failed with "Chunk …
 * not found" (seen under the approval benchmark); reads only skip the wait for a commit.
 *
 * <p>Index keys are ordered by their values ({@link IndexKeyType}), not by their serialised bytes,
 * and documents are kept as BSON ({@link DocumentType}), not Java-serialised.
 */
final class CommittingH2Backend extends H2Backend {

  /** Commands that never write; anything else is committed before its reply. */
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

  private static final String NAMESPACES = "system.namespaces";
  private static final String INDEXES = "system.indexes";
  private static final Logger LOG = LoggerFactory.getLogger(CommittingH2Backend.class);
  private static final long HOUSEKEEPING_SECONDS = 10;
  private static final int TARGET_FILL_PERCENT = 60;
  private static final int HOUSEKEEPING_WRITE_BYTES = 4 << 20;

  /**
   * H2's default page cache is 16 MB; with a few hundred MB of collections and indexes most reads
   * then deserialised their pages from the file again (a third of the CPU time of the approval
   * benchmark). The cache is heap and shrinks to what the file holds.
   */
  private static final int PAGE_CACHE_MB = 256;

  private static final long COSTS_SECONDS = 60;
  private static final int COSTS_REPORTED = 25;

  private final MVStore store;
  private final CommandCosts costs = CommandCosts.fromSystemProperty();
  private final ReadWriteLock commands = new ReentrantReadWriteLock();
  private final Object committing = new Object();
  private final AtomicLong finished = new AtomicLong();
  private volatile long committed;
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "embedded-mongo-housekeeping");
            thread.setDaemon(true);
            return thread;
          });

  private CommittingH2Backend(MVStore store) {
    super(store);
    this.store = store;
    housekeeping.scheduleWithFixedDelay(
        this::compact, HOUSEKEEPING_SECONDS, HOUSEKEEPING_SECONDS, TimeUnit.SECONDS);
    if (costs.measured()) {
      housekeeping.scheduleWithFixedDelay(
          this::reportCosts, COSTS_SECONDS, COSTS_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void reportCosts() {
    LOG.info(costs.report(COSTS_REPORTED));
  }

  /** Blocking: opens (or creates) the file with commits left to this backend. */
  static CommittingH2Backend open(String file) {
    MVStore store =
        new MVStore.Builder()
            .fileName(file)
            .cacheSize(PAGE_CACHE_MB)
            .autoCommitDisabled()
            .autoCommitBufferSize(0)
            .open();
    // Dead chunks are kept 45 s by default in case the disk has not written the newer ones yet;
    // here every commit is forced to disk first, and with a chunk per commit those 45 s doubled
    // the file (81 MB instead of 41 MB after a thousand approvals).
    store.setRetentionTime(0);
    IndexKeyType.reorderIndexes(store);
    DocumentType.keepAsBson(store);
    return new CommittingH2Backend(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new Database(databaseName);
  }

  /**
   * mongo-java-server's H2 database, with each new index map opened in {@link IndexKeyType} and
   * each new collection's documents kept as {@link DocumentType}.
   */
  private final class Database extends H2Database {

    // Called from H2Backend's constructor too: getMvStore() is set by then, this.store is not.
    Database(String name) {
      super(name, getMvStore(), getCursorRegistry());
    }

    @Override
    protected Index<Object> openOrCreateUniqueIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      IndexKeyType.openIndex(
          getMvStore(),
          getFullCollectionNamespace(collectionName) + IndexKeyType.INDEX_MAP_MARK + indexName);
      return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      DocumentType.openCollection(
          getMvStore(), DocumentType.DATA_MAP_PREFIX + getFullCollectionNamespace(collectionName));
      return super.openOrCreateCollection(collectionName, options);
    }
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    long started = costs.start();
    try {
      return committed(channel, database, command, query);
    } finally {
      costs.command(command, query, started);
    }
  }

  private Document committed(Channel channel, String database, String command, Document query) {
    if (READS.contains(command)) {
      return read(channel, database, command, query);
    }
    Document reply;
    commands.readLock().lock();
    try {
      reply = super.handleCommand(channel, database, command, query);
    } finally {
      // Also after a failure: an ordered bulk write stopped at a duplicate key kept what it wrote
      // before it, and its error reply says so.
      long position = finished.incrementAndGet();
      commands.readLock().unlock();
      awaitCommitted(position);
    }
    return reply;
  }

  private Document read(Channel channel, String database, String command, Document query) {
    commands.readLock().lock();
    try {
      return super.handleCommand(channel, database, command, query);
    } finally {
      commands.readLock().unlock();
    }
  }

  /** The first to wait commits what every finished command wrote; the others find it done. */
  private void awaitCommitted(long position) {
    synchronized (committing) {
      if (committed >= position) {
        return;
      }
      long covered;
      commands.writeLock().lock();
      try {
        covered = finished.get();
        long started = costs.start();
        store.commit();
        costs.commit(started);
      } finally {
        commands.writeLock().unlock();
      }
      store.sync();
      committed = covered;
    }
  }

  /** Rewrites the live pages of mostly dead chunks, so that the file does not keep growing. */
  private void compact() {
    commands.writeLock().lock();
    try {
      store.compact(TARGET_FILL_PERCENT, HOUSEKEEPING_WRITE_BYTES);
      store.commit();
    } catch (RuntimeException failed) {
      LOG.warn("Compacting the embedded MongoDB file failed; it is tried again", failed);
    } finally {
      commands.writeLock().unlock();
    }
  }

  /**
   * Blocking: hands every document of every collection to {@code sink} as a put at its place in the
   * collection, the system collections (namespaces, index descriptions) included.
   */
  void copyTo(Consumer<Change> sink) {
    for (String databaseName : listDatabaseNames()) {
      MongoDatabase database = resolveDatabase(databaseName);
      Set<String> names = new LinkedHashSet<>(List.of(NAMESPACES, INDEXES));
      MongoCollection<?> namespaces = database.resolveCollection(NAMESPACES, false);
      if (namespaces != null) {
        namespaces
            .queryAllAsStream()
            .map(namespace -> namespace.get("name").toString())
            .map(namespace -> namespace.substring(databaseName.length() + 1))
            .forEach(names::add);
      }
      for (String name : names) {
        MongoCollection<?> collection = database.resolveCollection(name, false);
        if (collection != null) {
          int position = 0;
          for (Document document : collection.queryAll()) {
            sink.accept(Change.put(collection.getFullName(), position++, document));
          }
        }
      }
    }
  }

  /** Blocking: the last commit, then the file is closed (MVStore commits what is left). */
  @Override
  public void close() {
    housekeeping.shutdownNow();
    if (costs.measured()) {
      reportCosts();
    }
    commands.writeLock().lock();
    try {
      super.close();
    } finally {
      commands.writeLock().unlock();
    }
  }
}
