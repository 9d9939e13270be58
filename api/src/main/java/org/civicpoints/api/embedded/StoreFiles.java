package org.civicpoints.api.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File steps the embedded store's journal and snapshot share. */
final class StoreFiles {

  private StoreFiles() {}

  /** Blocking: forces a directory's entries (a file created, renamed or deleted) to disk. */
  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel entries = FileChannel.open(directory, StandardOpenOption.READ)) {
      entries.force(true);
    }
  }
}
