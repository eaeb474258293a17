package org.opencallback.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.testing.TestDatabase;

class SqliteCallbackStoreTest extends CallbackStoreContract {
  @TempDir
  Path dir;

  @Override
  Database open() {
    return TestDatabase.sqlite(dir);
  }
}
