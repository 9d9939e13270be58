package org.civicpoints.devnet;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * What the ledger knows at one block, kept next to the block log so a restart replays only the
 * blocks after it instead of unpacking every transaction ever committed.
 *
 * <p>The file records the block's number and header hash; it is used only if the log's block at
 * that number has that hash, and its checksum holds. Otherwise (missing, torn, corrupt, from
 * another chain, or ahead of a log whose tail was cut) it is ignored and the ledger is rebuilt from
 * the log. It is written to a temporary file, forced to disk and renamed over the old one, so a
 * crash mid-write leaves the previous checkpoint.
 *
 * <p>It also records where each block up to that one starts in the block log ({@link #anchor()}),
 * so a start reads only that block and the ones after it instead of the whole log.
 *
 * <p>Layout (big-endian, strings as length + UTF-8): magic, format, chaincode name, block number,
 * block hash, the block log offsets of blocks 0 to that one; the transaction ids with their block,
 * index and code; each key's modifications (transaction ordinal, timestamp, deleted or value) and
 * its current version; each block's events (transaction ordinal, event); a CRC-32 of everything
 * before it.
 */
final class StateCheckpoint {

  private static final System.Logger LOG = System.getLogger(StateCheckpoint.class.getName());
  private static final int MAGIC = 0x44434b50; // "DCKP"
  private static final int FORMAT = 2;
  private static final int BUFFER_BYTES = 1 << 20;

  private final Path file;
  private final String chaincodeName;
  private final int interval;
  private long writtenAt = -1;

  StateCheckpoint(Path file, String chaincodeName, int interval) {
    this.file = file;
    this.chaincodeName = chaincodeName;
    this.interval = interval;
  }

  /**
   * Where the checkpoint says its block is in the log, read from the file's head alone (the log
   * then checks that block); empty when there is no readable checkpoint.
   */
  Optional<BlockLog.Anchor> anchor() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Input data = new Input(channel, channel.size());
      return Optional.of(new Reader(data, channel.size()).anchor());
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} is unreadable ({1}); checking the whole block log",
          file,
          e.toString());
      return Optional.empty();
    }
  }

  /** The ledger as of the checkpoint, if the file is whole and the log holds its block. */
  Optional<Ledger> load(BlockLog log) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Optional<Ledger> ledger = read(log);
      ledger.ifPresent(loaded -> writtenAt = loaded.height() - 1);
      return ledger;
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} is unreadable ({1}); rebuilding the state from the block log",
          file,
          e.toString());
      return Optional.empty();
    }
  }

  /** After each commit: writes a checkpoint every {@code interval} blocks. */
  void committed(Ledger ledger, BlockLog log) {
    if ((ledger.height() - 1) % interval == 0) {
      writeQuietly(ledger, log);
    }
  }

  /** On close: writes a checkpoint unless the last one is already at the ledger's height. */
  void closing(Ledger ledger, BlockLog log) {
    if (writtenAt != ledger.height() - 1) {
      writeQuietly(ledger, log);
    }
  }

  /**
   * The block log stays the truth: a checkpoint that cannot be written only makes starts slower.
   */
  private void writeQuietly(Ledger ledger, BlockLog log) {
    try {
      write(ledger, log);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot write the state checkpoint " + file, e);
    }
  }

  /** Writes atomically: a temporary file, forced to disk, renamed over the old checkpoint. */
  void write(Ledger ledger, BlockLog log) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      Output out = new Output(channel);
      new Writer(out).ledger(ledger, log.offsets(ledger.height()));
      out.finish();
      channel.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      directory.force(true); // the rename itself must survive a crash
    }
    writtenAt = ledger.height() - 1;
  }

  private Optional<Ledger> read(BlockLog log) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Input data = new Input(channel, channel.size());
      Reader in = new Reader(data, channel.size());
      BlockLog.Anchor anchor = in.anchor();
      long number = anchor.blockNumber();
      ByteString hash = anchor.headerHash();
      if (!matchesLog(log, number, hash)) {
        return Optional.empty();
      }
      Ledger ledger = in.ledger(hash);
      int expected = data.checksum();
      if (data.readInt() != expected || data.hasMore() || ledger.height() != number + 1) {
        throw new IOException("checksum mismatch");
      }
      return Optional.of(ledger);
    }
  }

  private boolean matchesLog(BlockLog log, long number, ByteString hash) throws IOException {
    Optional<Block> block = log.read(number);
    if (block.isPresent() && Blocks.headerHash(block.get().getHeader()).equals(hash)) {
      return true;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "{0} is at block {1}, which the block log {2}; rebuilding the state from the block log",
        file,
        number,
        block.isPresent() ? "holds with another hash" : "does not hold");
    return false;
  }

  /** Writes the ledger; transactions are referred to by their ordinal in the first section. */
  private final class Writer {

    private final Output out;
    private final Map<String, Integer> ordinals = new HashMap<>();

    Writer(Output out) {
      this.out = out;
    }

    void ledger(Ledger ledger, List<Long> offsets) throws IOException {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      string(chaincodeName);
      out.writeLong(ledger.height() - 1);
      bytes(ledger.lastHeaderHash().toByteArray());
      out.writeInt(offsets.size());
      for (long offset : offsets) {
        out.writeLong(offset);
      }
      transactions(ledger.locations());
      keys(ledger.state());
      events(ledger.eventsByBlock());
    }

    private void transactions(Map<String, Ledger.TxLocation> locations) throws IOException {
      out.writeInt(locations.size());
      for (Map.Entry<String, Ledger.TxLocation> entry : locations.entrySet()) {
        ordinals.put(entry.getKey(), ordinals.size());
        string(entry.getKey());
        out.writeLong(entry.getValue().blockNumber());
        out.writeInt(entry.getValue().txIndex());
        out.writeInt(entry.getValue().code().getNumber());
      }
    }

    private void keys(WorldState state) throws IOException {
      Map<String, List<WorldState.Modification>> history = state.history();
      out.writeInt(history.size());
      for (Map.Entry<String, List<WorldState.Modification>> key : history.entrySet()) {
        string(key.getKey());
        out.writeInt(key.getValue().size());
        for (WorldState.Modification modification : key.getValue()) {
          out.writeInt(ordinals.get(modification.txId()));
          out.writeLong(modification.timestamp().getEpochSecond());
          out.writeInt(modification.timestamp().getNano());
          out.writeBoolean(modification.deleted());
          if (!modification.deleted()) {
            bytes(modification.value());
          }
        }
        WorldState.VersionedValue current = state.committed(key.getKey());
        out.writeBoolean(current != null);
        if (current != null) {
          out.writeLong(current.version().blockNum());
          out.writeLong(current.version().txNum());
        }
      }
    }

    private void events(List<List<Ledger.EmittedEvent>> eventsByBlock) throws IOException {
      out.writeInt(eventsByBlock.size());
      for (List<Ledger.EmittedEvent> events : eventsByBlock) {
        out.writeInt(events.size());
        for (Ledger.EmittedEvent event : events) {
          out.writeInt(ordinals.get(event.txId()));
          bytes(event.event().toByteArray());
        }
      }
    }

    private void string(String value) throws IOException {
      bytes(value.getBytes(UTF_8));
    }

    private void bytes(byte[] value) throws IOException {
      out.writeInt(value.length);
      out.write(value);
    }
  }

  /** A buffered file writer that keeps a CRC-32 of what it wrote. */
  private static final class Output {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final CRC32 crc = new CRC32();

    Output(FileChannel channel) {
      this.channel = channel;
    }

    void writeInt(int value) throws IOException {
      room(Integer.BYTES).putInt(value);
    }

    void writeLong(long value) throws IOException {
      room(Long.BYTES).putLong(value);
    }

    void writeBoolean(boolean value) throws IOException {
      room(1).put((byte) (value ? 1 : 0));
    }

    void write(byte[] value) throws IOException {
      for (int done = 0; done < value.length; ) {
        int chunk = Math.min(room(1).remaining(), value.length - done);
        buffer.put(value, done, chunk);
        done += chunk;
      }
    }

    /** Writes what is buffered, then the CRC-32 of everything before it. */
    void finish() throws IOException {
      flush();
      buffer.putInt((int) crc.getValue()).flip();
      drain();
    }

    private ByteBuffer room(int bytes) throws IOException {
      if (buffer.remaining() < bytes) {
        flush();
      }
      return buffer;
    }

    private void flush() throws IOException {
      buffer.flip();
      crc.update(buffer.array(), 0, buffer.limit());
      drain();
    }

    private void drain() throws IOException {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }
  }

  /** A buffered file reader that keeps a CRC-32 of every byte before the 4-byte trailer. */
  private static final class Input {

    private final FileChannel channel;
    private final long checkedBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).limit(0);
    private final CRC32 crc = new CRC32();
    private long loaded;

    Input(FileChannel channel, long size) {
      this.channel = channel;
      this.checkedBytes = size - Integer.BYTES;
    }

    int readInt() throws IOException {
      return ready(Integer.BYTES).getInt();
    }

    long readLong() throws IOException {
      return ready(Long.BYTES).getLong();
    }

    boolean readBoolean() throws IOException {
      return ready(1).get() != 0;
    }

    void readFully(byte[] value) throws IOException {
      for (int done = 0; done < value.length; ) {
        int chunk = Math.min(ready(1).remaining(), value.length - done);
        buffer.get(value, done, chunk);
        done += chunk;
      }
    }

    /** The CRC-32 of the bytes before the trailer, once they were all read. */
    int checksum() {
      return (int) crc.getValue();
    }

    boolean hasMore() throws IOException {
      return buffer.hasRemaining() || loaded < channel.size();
    }

    private ByteBuffer ready(int bytes) throws IOException {
      while (buffer.remaining() < bytes) {
        buffer.compact();
        int start = buffer.position();
        int read = channel.read(buffer);
        if (read < 0) {
          throw new EOFException("the file ends early");
        }
        long checked = Math.min(read, Math.max(0, checkedBytes - loaded));
        crc.update(buffer.array(), start, (int) checked);
        loaded += read;
        buffer.flip();
      }
      return buffer;
    }
  }

  /** Reads what {@link Writer} wrote, refusing lengths and counts the file cannot hold. */
  private final class Reader {

    private final Input in;
    private final long size;
    private final List<String> txIds = new ArrayList<>();
    private final List<Ledger.TxLocation> txLocations = new ArrayList<>();

    Reader(Input in, long size) {
      this.in = in;
      this.size = size;
    }

    /** The head of the file: its format, chaincode, block and where blocks are in the log. */
    BlockLog.Anchor anchor() throws IOException {
      if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
        throw new IOException("not a devnet state checkpoint of format " + FORMAT);
      }
      if (!chaincodeName.equals(string())) {
        throw new IOException("a checkpoint of another chaincode");
      }
      long number = in.readLong();
      ByteString hash = ByteString.copyFrom(bytes());
      int blocks = count();
      if (blocks != number + 1) {
        throw new IOException(blocks + " block offsets for block " + number);
      }
      List<Long> offsets = new ArrayList<>(blocks);
      for (int i = 0; i < blocks; i++) {
        offsets.add(in.readLong());
      }
      return new BlockLog.Anchor(offsets, hash);
    }

    Ledger ledger(ByteString lastHeaderHash) throws IOException {
      ConcurrentHashMap<String, Ledger.TxLocation> locations = transactions();
      WorldState state = keys();
      return new Ledger(state, locations, events(), lastHeaderHash);
    }

    private ConcurrentHashMap<String, Ledger.TxLocation> transactions() throws IOException {
      int count = count();
      ConcurrentHashMap<String, Ledger.TxLocation> locations = new ConcurrentHashMap<>(count);
      for (int i = 0; i < count; i++) {
        String txId = string();
        Ledger.TxLocation location =
            new Ledger.TxLocation(in.readLong(), in.readInt(), code(in.readInt()));
        txIds.add(txId);
        txLocations.add(location);
        locations.put(txId, location);
      }
      return locations;
    }

    private WorldState keys() throws IOException {
      WorldState state = new WorldState();
      int keys = count();
      for (int k = 0; k < keys; k++) {
        String key = string();
        int count = count();
        List<WorldState.Modification> modifications = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          String txId = txIds.get(ordinal());
          Instant timestamp = Instant.ofEpochSecond(in.readLong(), in.readInt());
          boolean deleted = in.readBoolean();
          modifications.add(
              new WorldState.Modification(txId, timestamp, deleted ? null : bytes(), deleted));
        }
        Version current = in.readBoolean() ? new Version(in.readLong(), in.readLong()) : null;
        if (modifications.isEmpty()
            || (current != null && modifications.get(count - 1).deleted())) {
          throw new IOException("key " + key + " has a current value but no write of it");
        }
        state.restore(key, modifications, current);
      }
      return state;
    }

    private List<List<Ledger.EmittedEvent>> events() throws IOException {
      int blocks = count();
      List<List<Ledger.EmittedEvent>> eventsByBlock = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        int count = count();
        List<Ledger.EmittedEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          int ordinal = ordinal();
          ChaincodeEvent event = ChaincodeEvent.parseFrom(bytes());
          events.add(
              new Ledger.EmittedEvent(
                  txLocations.get(ordinal).txIndex(), txIds.get(ordinal), event));
        }
        eventsByBlock.add(List.copyOf(events));
      }
      return eventsByBlock;
    }

    private static TxValidationCode code(int number) throws IOException {
      TxValidationCode code = TxValidationCode.forNumber(number);
      if (code == null) {
        throw new InvalidProtocolBufferException("unknown validation code " + number);
      }
      return code;
    }

    private int ordinal() throws IOException {
      int ordinal = in.readInt();
      if (ordinal < 0 || ordinal >= txIds.size()) {
        throw new IOException("no transaction " + ordinal);
      }
      return ordinal;
    }

    private int count() throws IOException {
      int count = in.readInt();
      if (count < 0 || count > size) {
        throw new IOException("a count of " + count + " in a file of " + size + " bytes");
      }
      return count;
    }

    String string() throws IOException {
      return new String(bytes(), UTF_8);
    }

    byte[] bytes() throws IOException {
      byte[] value = new byte[count()];
      in.readFully(value);
      return value;
    }
  }
}
