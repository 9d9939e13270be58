package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One change to the embedded store, as its journal and its snapshot keep it: a document put at a
 * position of a collection (its whole new state, so replaying it twice changes nothing), a position
 * emptied, a collection dropped, or the end of a snapshot.
 *
 * <p>On disk: the payload's length and its CRC-32C, then the payload — the kind, the collection's
 * namespace, the position and, for a put, the document as BSON. A record cut short or not matching
 * its checksum ends what is read: it was being written when the process died.
 */
record Change(Change.Kind kind, String namespace, int position, Document document) {

  enum Kind {
    PUT,
    REMOVE,
    DROP,
    END
  }

  private static final int HEADER_BYTES = 2 * Integer.BYTES;

  /** A document is at most 16 MiB; a longer length is damage, not a record. */
  private static final int MAX_PAYLOAD_BYTES = 17 << 20;

  static Change put(String namespace, int position, Document document) {
    return new Change(Kind.PUT, namespace, position, document);
  }

  static Change remove(String namespace, int position) {
    return new Change(Kind.REMOVE, namespace, position, null);
  }

  static Change drop(String namespace) {
    return new Change(Kind.DROP, namespace, -1, null);
  }

  static Change end(int count) {
    return new Change(Kind.END, "", count, null);
  }

  void writeTo(ByteBuf out) {
    int start = out.writerIndex();
    out.writeZero(HEADER_BYTES);
    out.writeByte(kind.ordinal());
    byte[] name = namespace.getBytes(StandardCharsets.UTF_8);
    out.writeShort(name.length);
    out.writeBytes(name);
    out.writeInt(position);
    if (kind == Kind.PUT) {
      BsonEncoder.encodeDocument(document, out);
    }
    int length = out.writerIndex() - start - HEADER_BYTES;
    out.setInt(start, length);
    out.setInt(start + Integer.BYTES, checksum(out, start + HEADER_BYTES, length));
  }

  /**
   * Reads records from {@code in} and hands each to {@code each}; returns how many bytes were whole
   * records, the rest being a record cut short or damaged.
   */
  static long readAll(InputStream in, Consumer<Change> each) throws IOException {
    byte[] header = new byte[HEADER_BYTES];
    long whole = 0;
    while (in.readNBytes(header, 0, HEADER_BYTES) == HEADER_BYTES) {
      ByteBuffer fields = ByteBuffer.wrap(header);
      int length = fields.getInt();
      int checksum = fields.getInt();
      if (length <= 0 || length > MAX_PAYLOAD_BYTES) {
        break;
      }
      byte[] payload = in.readNBytes(length);
      if (payload.length != length
          || checksum(Unpooled.wrappedBuffer(payload), 0, length) != checksum) {
        break;
      }
      each.accept(read(Unpooled.wrappedBuffer(payload)));
      whole += HEADER_BYTES + length;
    }
    return whole;
  }

  private static Change read(ByteBuf payload) {
    Kind kind = Kind.values()[payload.readByte()];
    byte[] name = new byte[payload.readUnsignedShort()];
    payload.readBytes(name);
    String namespace = new String(name, StandardCharsets.UTF_8);
    int position = payload.readInt();
    Document document = kind == Kind.PUT ? BsonDecoder.decodeBson(payload) : null;
    return new Change(kind, namespace, position, document);
  }

  private static int checksum(ByteBuf buffer, int index, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.nioBuffer(index, length));
    return (int) crc.getValue();
  }
}
