package org.civicpoints.devnet;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * The channel's blocks, appended to one file as records {@code [length:int][crc32:int][block]}.
 * Each block is forced to disk before it counts as committed. On open, every record's checksum and
 * every header's link to the block before it are checked (without unpacking the transactions); a
 * torn or corrupt last record (a crash mid-write) is cut off and logged; corruption before the last
 * record stops the start, because silently dropping committed blocks would rewrite history.
 *
 * <p>Opened from an {@link Anchor} (what the state checkpoint recorded of the log), only the
 * anchored block and the records after it are read: the blocks before it were checked when they
 * were written and when the checkpoint was taken, and reading gigabytes again is what made starts
 * grow with the ledger. {@link #checkFromGenesis()} checks them after all, when the checkpoint that
 * vouched for them turns out unusable.
 */
final class BlockLog implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BlockLog.class.getName());
  private static final int RECORD_HEADER = 8;
  private static final int MAX_BLOCK_BYTES = 256 * 1024 * 1024;

  private final Path file;
  private final FileChannel channel;

  /** File offset of each block's record, by block number. */
  private final List<Long> offsets = new ArrayList<>();

  private long end;

  /** Whether the blocks before the anchor were taken on trust rather than read. */
  private boolean anchored;

  /**
   * Where the log's blocks 0..n start ({@code offsets}, by block number) and the header hash of
   * block n: enough to find block n, check it is the one expected, and read on from there.
   */
  record Anchor(List<Long> offsets, ByteString headerHash) {
    Anchor {
      offsets = List.copyOf(offsets);
    }

    long blockNumber() {
      return offsets.size() - 1L;
    }
  }

  private BlockLog(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens the log, checks its records and header hash chain, and drops a torn tail. */
  static BlockLog open(Path file) throws IOException {
    return open(file, Optional.empty());
  }

  /**
   * Opens the log; with an anchor that matches it, checks only the anchored block and the records
   * after it, else every record.
   */
  static BlockLog open(Path file, Optional<Anchor> anchor) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    BlockLog log = new BlockLog(file, channel);
    try {
      lockAgainstOtherDevnets(file, channel);
      if (anchor.isEmpty() || !log.resume(anchor.get())) {
        log.scan(0, ByteString.EMPTY);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return log;
  }

  /** Two devnets appending to one log would interleave blocks; the second one must not start. */
  private static void lockAgainstOtherDevnets(Path file, FileChannel channel) throws IOException {
    try {
      if (channel.tryLock() == null) {
        throw new IOException(file + " is in use by another devnet process");
      }
    } catch (OverlappingFileLockException e) {
      throw new IOException(file + " is in use by another devnet in this JVM", e);
    }
  }

  /** Checks the blocks an anchor let the open skip (nothing when it skipped none). */
  void checkFromGenesis() throws IOException {
    if (!anchored) {
      return;
    }
    LOG.log(System.Logger.Level.INFO, "{0}: checking the blocks before the checkpoint", file);
    synchronized (offsets) {
      offsets.clear();
    }
    anchored = false;
    scan(0, ByteString.EMPTY);
  }

  /** The file offsets of the first {@code blocks} blocks, for a checkpoint's anchor. */
  List<Long> offsets(long blocks) {
    synchronized (offsets) {
      return List.copyOf(offsets.subList(0, (int) blocks));
    }
  }

  /** The number of blocks in the log. */
  long height() {
    synchronized (offsets) {
      return offsets.size();
    }
  }

  /** Appends a block and forces it to disk. Only the committer thread appends. */
  void append(Block block) throws IOException {
    byte[] bytes = block.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(bytes);
    ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + bytes.length);
    record.putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).flip();
    long offset = end;
    while (record.hasRemaining()) {
      channel.write(record, end + record.position());
    }
    channel.force(false);
    end = offset + RECORD_HEADER + bytes.length;
    synchronized (offsets) {
      offsets.add(offset);
    }
  }

  Optional<Block> read(long number) throws IOException {
    long offset;
    synchronized (offsets) {
      if (number < 0 || number >= offsets.size()) {
        return Optional.empty();
      }
      offset = offsets.get((int) number);
    }
    ByteBuffer header = readFully(offset, RECORD_HEADER);
    return Optional.of(Block.parseFrom(readFully(offset + RECORD_HEADER, header.getInt())));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /**
   * Takes the anchor's offsets if its last block is whole where it says, with its number and hash;
   * then checks the records after it.
   */
  private boolean resume(Anchor anchor) throws IOException {
    long size = channel.size();
    Optional<String> mismatch = mismatch(anchor, size);
    if (mismatch.isPresent()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0}: the checkpoint's block {1} {2}; checking the whole block log",
          file,
          anchor.blockNumber(),
          mismatch.get());
      return false;
    }
    long last = anchor.offsets().get(anchor.offsets().size() - 1);
    synchronized (offsets) {
      offsets.addAll(anchor.offsets());
    }
    anchored = true;
    scan(readRecord(last, size).next, anchor.headerHash());
    return true;
  }

  private Optional<String> mismatch(Anchor anchor, long size) throws IOException {
    List<Long> starts = anchor.offsets();
    if (starts.isEmpty()) {
      return Optional.of("is missing");
    }
    for (int i = 0; i < starts.size(); i++) {
      long previous = i == 0 ? -1 : starts.get(i - 1);
      if (starts.get(i) <= previous || starts.get(i) >= size || (i == 0 && starts.get(0) != 0)) {
        return Optional.of("is not where the checkpoint says");
      }
    }
    Record record = readRecord(starts.get(starts.size() - 1), size);
    if (record.header == null) {
      return Optional.of("is damaged (" + record.problem + ")");
    }
    if (record.header.getNumber() != anchor.blockNumber()
        || !Blocks.headerHash(record.header).equals(anchor.headerHash())) {
      return Optional.of("is another block");
    }
    return Optional.empty();
  }

  private void scan(long from, ByteString hashBefore) throws IOException {
    long size = channel.size();
    long offset = from;
    ByteString previousHash = hashBefore;
    while (offset < size) {
      Record record = readRecord(offset, size);
      if (record.header == null) {
        dropTornTail(offset, size, record.problem);
        break;
      }
      checkLink(record.header, previousHash);
      previousHash = Blocks.headerHash(record.header);
      synchronized (offsets) {
        offsets.add(offset);
      }
      offset = record.next;
    }
    end = Math.min(offset, channel.size());
  }

  private void checkLink(BlockHeader header, ByteString previousHash) throws IOException {
    if (header.getNumber() != offsets.size()) {
      throw new IOException(
          file
              + ": block "
              + header.getNumber()
              + " found where block "
              + offsets.size()
              + " belongs");
    }
    if (!header.getPreviousHash().equals(previousHash)) {
      throw new IOException(
          file
              + ": block "
              + header.getNumber()
              + " does not chain to the block before it; the block log was altered");
    }
  }

  private record Record(BlockHeader header, long next, String problem) {}

  private Record readRecord(long offset, long size) throws IOException {
    if (size - offset < RECORD_HEADER) {
      return new Record(null, size, "a record header cut short");
    }
    ByteBuffer header = readFully(offset, RECORD_HEADER);
    int length = header.getInt();
    int expectedCrc = header.getInt();
    long next = offset + RECORD_HEADER + length;
    if (length < 0 || length > MAX_BLOCK_BYTES || next > size) {
      return new Record(null, next, "a record cut short");
    }
    ByteBuffer body = readFully(offset + RECORD_HEADER, length);
    CRC32 crc = new CRC32();
    crc.update(body.duplicate());
    if ((int) crc.getValue() != expectedCrc) {
      return new Record(null, next, "a checksum mismatch");
    }
    try {
      return new Record(header(body), next, null);
    } catch (IOException e) { // parsing bytes already in memory: only malformed data ends here
      return new Record(null, next, "an unreadable block");
    }
  }

  /** A block's header alone: the transactions stay packed until someone reads the block. */
  private static BlockHeader header(ByteBuffer block) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(block);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == Block.HEADER_FIELD_NUMBER) {
        return BlockHeader.parseFrom(in.readBytes());
      }
      in.skipField(tag);
    }
    throw new InvalidProtocolBufferException("a block without a header");
  }

  /** Only the last record may be damaged; anything after it means the log is corrupt, not torn. */
  private void dropTornTail(long offset, long size, String problem) throws IOException {
    Record damaged = readRecordBounds(offset, size);
    if (damaged.next < size) {
      throw new IOException(
          file
              + ": "
              + problem
              + " at offset "
              + offset
              + " with more records after it; the block log is corrupt, not torn");
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "{0}: dropping a torn last record at offset {1} ({2}, {3} bytes); "
            + "blocks 0..{4} are intact",
        file,
        offset,
        problem,
        size - offset,
        offsets.size() - 1);
    channel.truncate(offset);
    channel.force(true);
  }

  /** Where a damaged record claims to end: past the end of file when it was torn mid-write. */
  private Record readRecordBounds(long offset, long size) throws IOException {
    if (size - offset < RECORD_HEADER) {
      return new Record(null, size, null);
    }
    int length = readFully(offset, RECORD_HEADER).getInt();
    long next = length < 0 || length > MAX_BLOCK_BYTES ? size : offset + RECORD_HEADER + length;
    return new Record(null, next, null);
  }

  private ByteBuffer readFully(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException(
            file + ": unexpected end of file at " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }
}
