package org.civicpoints.api.embedded;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How the embedded store orders the keys of its index maps: by their values, as MongoDB orders
 * index keys. mongo-java-server's H2 backend leaves an index's keys ({@link KeyValue}, not {@code
 * Comparable}) to H2's {@link ObjectDataType}, which orders two such keys by Java-serialising both
 * on every comparison: about 39 % of the store's CPU time under the approval benchmark. Keys are
 * still written and read as {@code ObjectDataType} writes them; only their order differs, so a file
 * whose indexes were ordered the old way has them rebuilt once when it is opened ({@link
 * FileFormat}).
 */
final class IndexKeyType extends ObjectDataType {

  /** mongo-java-server's name of an index map: {@code <database>.<collection>._index_<index>}. */
  static final String INDEX_MAP_MARK = "._index_";

  private static final String INDEX_ORDER = "indexKeyOrder";
  private static final String BY_VALUES = "values-1";

  private static final ValueComparator VALUES = ValueComparator.asc();

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof KeyValue left && b instanceof KeyValue right) {
      if (left.equals(right)) {
        return 0;
      }
      int order = byValues(left, right);
      // Values MongoDB holds equal but Java does not (a null and a missing field): the old order.
      return order != 0 ? order : super.compare(a, b);
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
