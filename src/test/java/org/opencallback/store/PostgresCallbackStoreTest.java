package org.opencallback.store;

import org.opencallback.testing.TestPostgres;

class PostgresCallbackStoreTest extends CallbackStoreContract {
  @Override
  Database open() {
    return TestPostgres.database();
  }
}
