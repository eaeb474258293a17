package org.opencallback.store;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * How {@link StoreMove} reads, writes and hashes a column, the same way on every database: a value
 * is read with the getter of its kind (so a boolean that SQLite keeps as 0/1 and H2 or PostgreSQL
 * as a boolean reads the same), written with the matching setter and hashed in a form that does not
 * depend on the database. A column of any other type is refused rather than copied approximately.
 */
enum ColumnKind {
  BOOLEAN {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      boolean value = from.getBoolean(index);
      if (nullAt(from, to, index, Types.BOOLEAN, hash)) {
        return;
      }
      if (to != null) {
        to.setBoolean(index, value);
      }
      hash.update((byte) (value ? 1 : 0));
    }
  },
  LONG {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      long value = from.getLong(index);
      if (nullAt(from, to, index, Types.BIGINT, hash)) {
        return;
      }
      if (to != null) {
        to.setLong(index, value);
      }
      hash.update(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }
  },
  DOUBLE {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      double value = from.getDouble(index);
      if (nullAt(from, to, index, Types.DOUBLE, hash)) {
        return;
      }
      if (to != null) {
        to.setDouble(index, value);
      }
      hash.update(ByteBuffer.allocate(Long.BYTES).putLong(Double.doubleToLongBits(value)).array());
    }
  },
  DECIMAL {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      BigDecimal value = from.getBigDecimal(index);
      if (nullAt(from, to, index, Types.DECIMAL, hash)) {
        return;
      }
      if (to != null) {
        to.setBigDecimal(index, value);
      }
      sized(hash, value.stripTrailingZeros().toPlainString().getBytes(StandardCharsets.UTF_8));
    }
  },
  TEXT {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      String value = from.getString(index);
      if (nullAt(from, to, index, Types.VARCHAR, hash)) {
        return;
      }
      if (to != null) {
        to.setString(index, value);
      }
      sized(hash, value.getBytes(StandardCharsets.UTF_8));
    }
  },
  BYTES {
    @Override
    void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException {
      byte[] value = from.getBytes(index);
      if (nullAt(from, to, index, Types.VARBINARY, hash)) {
        return;
      }
      if (to != null) {
        to.setBytes(index, value);
      }
      sized(hash, value);
    }
  };

  /**
   * Reads column {@code index} of the current row, hashes it and, when {@code to} is not null, sets it
   * as parameter {@code index} of {@code to}.
   */
  abstract void copy(ResultSet from, int index, PreparedStatement to, MessageDigest hash) throws SQLException;

  /** The kind of a column as one database's metadata describes it, or null for one not handled. */
  static ColumnKind of(int jdbcType, String typeName) {
    switch (jdbcType) {
      case Types.BOOLEAN, Types.BIT:
        return BOOLEAN;
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
        return LONG;
      case Types.REAL, Types.FLOAT, Types.DOUBLE:
        return DOUBLE;
      case Types.NUMERIC, Types.DECIMAL:
        return DECIMAL;
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NCHAR, Types.NVARCHAR,
          Types.LONGNVARCHAR, Types.NCLOB:
        return TEXT;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
        return BYTES;
      default:
        return byName(typeName);
    }
  }

  /** SQLite reports declared type names; its type affinity rules, for what JDBC did not map. */
  private static ColumnKind byName(String typeName) {
    String name = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
    if (name.contains("BOOL")) {
      return BOOLEAN;
    }
    if (name.contains("INT")) {
      return LONG;
    }
    if (name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT")) {
      return TEXT;
    }
    return null;
  }

  /**
   * The kind to move a column with, given its kind in the source and in the target: the same, or a
   * boolean one side keeps as an integer (SQLite), else null (the move is refused).
   */
  static ColumnKind common(ColumnKind source, ColumnKind target) {
    if (source == target) {
      return source;
    }
    if ((source == BOOLEAN && target == LONG) || (source == LONG && target == BOOLEAN)) {
      return BOOLEAN;
    }
    return null;
  }

  private static boolean nullAt(ResultSet from, PreparedStatement to, int index, int sqlType, MessageDigest hash)
      throws SQLException {
    if (!from.wasNull()) {
      hash.update((byte) 1);
      return false;
    }
    if (to != null) {
      to.setNull(index, sqlType);
    }
    hash.update((byte) 0);
    return true;
  }

  private static void sized(MessageDigest hash, byte[] bytes) {
    hash.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
    hash.update(bytes);
  }
}
