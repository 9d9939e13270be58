package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store orders and writes the keys of its index maps. mongo-java-server's H2
 * backend leaves an index's keys ({@link KeyValue}) to H2's {@link ObjectDataType}, which
 * Java-serialises them: to order two keys on every comparison (about 39 % of the store's CPU time
 * under the approval benchmark) and to write and read every key of every index page (a fifth of it
 * once documents were BSON).
 *
 * <p>Here keys are ordered by their values, as MongoDB orders index keys; a file whose indexes were
 * ordered the old way has them rebuilt once when it is opened ({@link FileFormat}). A key is
 * written as a tag and its values in BSON's form; keys Java-serialised before are still read as
 * they were, so a page may hold both.
 */
final class IndexKeyType extends ObjectDataType {

  /** mongo-java-server's name of an index map: {@code <database>.<collection>._index_<index>}. */
  static final String INDEX_MAP_MARK = "._index_";

  private static final String INDEX_ORDER = "indexKeyOrder";
  private static final String BY_VALUES = "values-1";

  private static final ValueComparator VALUES = ValueComparator.asc();

  /** A tag {@code ObjectDataType} leaves unused (its own end at 119): a key in BSON's form. */
  private static final byte KEY_IN_BSON = 120;

  /** BSON's end-of-object type, never a value's: a field the document does not have. */
  private static final byte MISSING = 0;

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue left && b instanceof KeyValue right) {
      int order = byValues(left, right);
      if (order != 0) {
        return order;
      }
      // Values MongoDB holds equal but Java does not (a null and a missing field): the old order.
      return left.equals(right) ? 0 : super.compare(a, b);
    }
    return super.compare(a, b);
  }

  private static int byValues(KeyValue left, KeyValue right) {
    int common = Math.min(left.size(), right.size());
    for (int i = 0; i < common; i++) {
      int order = VALUES.compare(left.get(i), right.get(i));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(left.size(), right.size());
  }

  @Override
  public void write(WriteBuffer buffer, Object key) {
    if (!(key instanceof KeyValue values)) {
      super.write(buffer, key);
      return;
    }
    ByteBuf bson = Unpooled.buffer(64);
    try {
      for (Object value : values) {
        if (value instanceof Missing) {
          bson.writeByte(MISSING);
        } else {
          byte type = BsonEncoder.determineType(value);
          bson.writeByte(type);
          BsonEncoder.encodeValue(type, value, bson);
        }
      }
      buffer.put(KEY_IN_BSON).putVarInt(bson.readableBytes()).put(bson.nioBuffer());
    } finally {
      bson.release();
    }
  }

  @Override
  public Object read(ByteBuffer buffer) {
    if (buffer.get(buffer.position()) != KEY_IN_BSON) {
      return super.read(buffer);
    }
    buffer.get();
    int length = DataUtils.readVarInt(buffer);
    ByteBuf bson = Unpooled.wrappedBuffer(buffer.slice(buffer.position(), length));
    buffer.position(buffer.position() + length);
    List<Object> values = new ArrayList<>(2);
    while (bson.isReadable()) {
      byte type = bson.readByte();
      values.add(type == MISSING ? Missing.getInstance() : BsonDecoder.decodeValue(type, bson));
    }
    return new KeyValue(values);
  }

  /** Not {@code ObjectDataType}'s guess for serialised objects (10 KB until it wrote one). */
  @Override
  public int getMemory(Object key) {
    if (!(key instanceof KeyValue values)) {
      return super.getMemory(key);
    }
    int memory = 48;
    for (Object value : values) {
      memory += value instanceof String text ? 48 + text.length() : 32;
    }
    return memory;
  }

  /** Opens (or creates) the index map of that name with its keys in this order. */
  static MVMap<Object, Object> openIndex(MVStore store, String name) {
    return store.openMap(name, new MVMap.Builder<>().keyType(new IndexKeyType()));
  }

  static boolean isIndex(String mapName) {
    return mapName.contains(INDEX_MAP_MARK);
  }

  /** Blocking: opens every index map in this order, rebuilding any written in the old order. */
  static void reorderIndexes(MVStore store) {
    FileFormat.upgrade(
        store, INDEX_ORDER, BY_VALUES, IndexKeyType::isIndex, IndexKeyType::openIndex);
  }
}
