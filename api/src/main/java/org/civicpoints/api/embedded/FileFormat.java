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
 * still keeps in an older form. A marker per form in the file says that its maps are rewritten; the
 * rewrite and its marker are one commit, so a crash during it leaves the file as it was.
 */
final class FileFormat {

  private static final String FORMAT_MAP = "civicpoints.format";

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
    boolean upgraded = version.equals(format.get(form));
    for (String name : store.getMapNames()) {
      if (!appliesTo.test(name)) {
        continue;
      }
      if (upgraded) {
        open.apply(store, name);
      } else {
        rewrite(store, name, open);
      }
    }
    if (!upgraded) {
      format.put(form, version);
      store.commit();
    }
  }

  private static void rewrite(
      MVStore store, String name, BiFunction<MVStore, String, MVMap<Object, Object>> open) {
    MVMap<Object, Object> old = store.openMap(name);
    List<Map.Entry<Object, Object>> entries = new ArrayList<>(old.size());
    old.entrySet().forEach(entry -> entries.add(Map.entry(entry.getKey(), entry.getValue())));
    store.removeMap(old);
    MVMap<Object, Object> rewritten = open.apply(store, name);
    entries.forEach(entry -> rewritten.put(entry.getKey(), entry.getValue()));
  }
}
