package org.opencallback.store;

import org.opencallback.testing.TestDatabase;

class H2CallbackStoreTest extends CallbackStoreContract {
  @Override
  Database open() {
    return TestDatabase.h2();
  }
}
