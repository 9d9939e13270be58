package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store keeps documents in its file: as BSON, the form they arrive and leave in.
 * mongo-java-server's H2 backend leaves them to H2's {@link ObjectDataType}, which Java-serialises
 * each one, class descriptors and all: under the approval benchmark that was 15 % of the store's
 * CPU time on commit and most of the 14 % spent reading pages back. A file whose documents are
 * still Java-serialised has them rewritten once when it is opened ({@link FileFormat}).
 */
final class DocumentType extends BasicDataType<Document> {

  /** mongo-java-server's name of a collection's document map: {@code databases.<db>.<coll>}. */
  static final String DATA_MAP_PREFIX = "databases.";

  private static final String FORM = "documents";
  private static final String AS_BSON = "bson-1";

  /** A document on the heap takes a few times its BSON length; H2's page cache counts this. */
  private static final int HEAP_BYTES_PER_BSON_BYTE = 4;

  private volatile int averageMemory = 1024;

  @Override
  public void write(WriteBuffer buffer, Document document) {
    ByteBuf bson = Unpooled.buffer(512);
    try {
      BsonEncoder.encodeDocument(document, bson);
      remember(bson.readableBytes());
      buffer.put(bson.nioBuffer());
    } finally {
      bson.release();
    }
  }

  @Override
  public Document read(ByteBuffer buffer) {
    int start = buffer.position();
    int length = Integer.reverseBytes(buffer.getInt(start)); // BSON's length is little-endian
    buffer.position(start + length);
    remember(length);
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buffer.slice(start, length)));
  }

  private void remember(int bsonLength) {
    averageMemory = (bsonLength * HEAP_BYTES_PER_BSON_BYTE + 15 * averageMemory) / 16;
  }

  @Override
  public int getMemory(Document document) {
    return averageMemory;
  }

  @Override
  public Document[] createStorage(int size) {
    return new Document[size];
  }

  static boolean isCollection(String mapName) {
    return mapName.startsWith(DATA_MAP_PREFIX);
  }

  /** Opens (or creates) the document map of that name, its documents kept as BSON. */
  @SuppressWarnings("unchecked")
  static MVMap<Object, Object> openCollection(MVStore store, String name) {
    DataType<?> documents = new DocumentType();
    return store.openMap(
        name, new MVMap.Builder<Object, Object>().valueType((DataType<Object>) documents));
  }

  /** Blocking: opens every document map as BSON, rewriting any still Java-serialised. */
  static void keepAsBson(MVStore store) {
    FileFormat.upgrade(
        store, FORM, AS_BSON, DocumentType::isCollection, DocumentType::openCollection);
  }
}
