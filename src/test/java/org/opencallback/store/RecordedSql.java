package org.opencallback.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/** A data source whose connections record the SQL of every statement prepared (for plan tests). */
final class RecordedSql {
  private final List<String> sent = new CopyOnWriteArrayList<>();

  /** The SQL prepared since the last {@link #clear}, in order. */
  List<String> sent() {
    return List.copyOf(sent);
  }

  void clear() {
    sent.clear();
  }

  /** The first SQL sent that contains {@code part}. */
  String first(String part) {
    return sent.stream().filter(sql -> sql.contains(part)).findFirst()
        .orElseThrow(() -> new AssertionError("no SQL with '" + part + "' among " + sent));
  }

  DataSource recording(DataSource target) {
    return proxy(DataSource.class, (p, method, args) -> {
      Object result = invoke(method, target, args);
      if (result instanceof Connection connection) {
        return proxy(Connection.class, (cp, m, a) -> {
          if (m.getName().equals("prepareStatement") && a != null && a[0] instanceof String sql) {
            sent.add(sql);
          }
          return invoke(m, connection, a);
        });
      }
      return result;
    });
  }

  private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(RecordedSql.class.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
