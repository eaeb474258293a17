package org.opencallback.config;

/** Which kind of configuration section an option belongs to. */
public enum OptionScope {
  /** The global {@code callback} section. */
  CALLBACK,
  /** A callback service section, {@code service.NAME} with {@code _type: ors}. */
  SERVICE,
  /** An office-hours service section ({@code _type: builtin}, {@code _service: office-hours}). */
  OFFICE_HOURS,
  /** A capacity service section ({@code _type: builtin}, {@code _service: capacity}). */
  CAPACITY,
  /** OpenCallback's built-in execution engine, section {@code engine}. */
  ENGINE,
  /** GMS's own {@code server} section. */
  SERVER,
  /** The GMS {@code capacity} section ({@code _max_capacity}). */
  CAPACITY_LIMITS,
  /** OpenCallback's cluster mode on PostgreSQL, section {@code cluster} (lease and heartbeat). */
  CLUSTER,
  /** OpenCallback's database connection pool, section {@code database}. */
  DATABASE
}
