package org.opencallback.cluster;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that can be cut off from its database, as a network partition does: while cut, a
 * request for a connection either fails at once ({@link Mode#REFUSE}) or hangs until the cut ends
 * ({@link Mode#HANG}, a black hole: no answer at all). Thread-safe.
 */
final class CutOffDataSource implements DataSource {
  enum Mode { REFUSE, HANG }

  private final DataSource target;
  private Mode cut; // guarded by this

  CutOffDataSource(DataSource target) {
    this.target = target;
  }

  synchronized void cut(Mode mode) {
    this.cut = mode;
  }

  synchronized void restore() {
    this.cut = null;
    notifyAll();
  }

  private synchronized void check() throws SQLException {
    while (cut == Mode.HANG) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while cut off", e);
      }
    }
    if (cut == Mode.REFUSE) {
      throw new SQLException("Connection refused (test: cut off from the database)", "08001");
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    check();
    return target.getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    check();
    return target.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return target.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return target.isWrapperFor(type);
  }
}
