package org.civicpoints.api.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * The forms the embedded store's file keeps its maps in, and the one-time rewrite of maps a file
 * still keeps in an older form. A marker per form in the file says that its maps are rewritten.
 *
 * <p>A rewrite copies each map into a new one beside it, committing every {@value
 * #ENTRIES_PER_COMMIT} entries so that a large file does not have to fit in the heap; the copies
 * replace the maps, and the marker is set, in one last commit. A crash before it leaves the maps as
 * they were and some copies, which the next opening drops before it starts again.
 */
final class FileFormat {

  private static final String FORMAT_MAP = "civicpoints.format";
  private static final String COPY = ".rewriting";
  private static final int ENTRIES_PER_COMMIT = 10_000;

  private FileFormat() {}

  /**
   * Blocking, before the backend opens the file's databases: opens every map the form applies to
   * with {@code open}; when the file is not yet marked as holding that form, each such map is first
   * read as mongo-java-server wrote it and written again in the new form.
   */
  static void upgrade(
      MVStore store,
      String form,
      String version,
      Predicate<String> appliesTo,
      BiFunction<MVStore, String, MVMap<Object, Object>> open) {
    MVMap<String, String> format = store.openMap(FORMAT_MAP);
    List<String> names = new ArrayList<>();
    for (String name : List.copyOf(store.getMapNames())) {
      if (name.endsWith(COPY)) {
        store.removeMap(name); // an unfinished rewrite's copy
      } else if (appliesTo.test(name)) {
        names.add(name);
      }
    }
    if (version.equals(format.get(form))) {
      names.forEach(name -> open.apply(store, name));
      return;
    }
    List<MVMap<Object, Object>> copies = new ArrayList<>();
    names.forEach(name -> copies.add(copy(store, name, open)));
    for (int i = 0; i < names.size(); i++) {
      store.removeMap(names.get(i));
      store.renameMap(copies.get(i), names.get(i));
    }
    format.put(form, version);
    store.commit();
  }

  private static MVMap<Object, Object> copy(
      MVStore store, String name, BiFunction<MVStore, String, MVMap<Object, Object>> open) {
    MVMap<Object, Object> old = store.openMap(name);
    MVMap<Object, Object> copy = open.apply(store, name + COPY);
    long copied = 0;
    for (Map.Entry<Object, Object> entry : old.entrySet()) {
      copy.put(entry.getKey(), entry.getValue());
      if (++copied % ENTRIES_PER_COMMIT == 0) {
        store.commit();
      }
    }
    return copy;
  }
}
