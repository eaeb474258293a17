package org.opencallback.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One callback request as stored. {@code properties} holds every property of the request exactly as
 * given (system {@code _} keys and user data), minus the fields kept in their own columns and minus
 * server-owned keys; {@code serverState} holds what the server wrote for itself ({@link ServerState}).
 *
 * @param id GMS-style id, {@code <n>-<uuid>}
 * @param service the callback service (execution name)
 * @param state current state
 * @param reason completion reason, null unless COMPLETED (or reported with a state)
 * @param customerNumber the normalised {@code _customer_number}, may be null
 * @param desiredTime when the customer wants the call
 * @param timeScheduled when the request was accepted
 * @param expirationTime desired time plus {@code _ttl}
 * @param dueTime when a SCHEDULED callback is handed to its engine; null otherwise
 * @param properties every other property as given
 * @param serverState the server's own bookkeeping ({@link ServerState}), never set by a request
 * @param immediate whether it was judged immediate when accepted; a callback that is not takes a
 *     place in the time bucket of its desired time while it is active
 * @param version optimistic-locking version, starts at 1
 * @param updatedAt last change
 * @param resolvedOptions server-owned: how this request changed its service's options when it was
 *     admitted ({@code $token$} values filled, {@code _overwritable_options} overrides taken), option
 *     name to value; a null value means the request unset the option. Computed once at admission
 *     and given to the engine with the service's options; never settable by a client.
 */
public record Callback(
    String id,
    String service,
    CallbackState state,
    String reason,
    String customerNumber,
    Instant desiredTime,
    Instant timeScheduled,
    Instant expirationTime,
    Instant dueTime,
    Map<String, Object> properties,
    Map<String, Object> serverState,
    boolean immediate,
    int version,
    Instant updatedAt,
    Map<String, String> resolvedOptions) {

  /**
   * Property set on a callback created with a forced {@code _callback_state}: an external system
   * drives its lifecycle, so it is neither dispatched nor given to an engine.
   */
  public static final String EXTERNAL_LIFECYCLE = ServerState.EXTERNAL_LIFECYCLE;

  public Callback {
    Objects.requireNonNull(id);
    Objects.requireNonNull(service);
    Objects.requireNonNull(state);
    Objects.requireNonNull(desiredTime);
    Objects.requireNonNull(timeScheduled);
    Objects.requireNonNull(expirationTime);
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    serverState = Collections.unmodifiableMap(new LinkedHashMap<>(serverState));
    resolvedOptions = resolvedOptions == null || resolvedOptions.isEmpty()
        ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resolvedOptions));
  }

  /** A callback with no server-owned state and whose request changed none of its service's options. */
  public Callback(
      String id, String service, CallbackState state, String reason, String customerNumber,
      Instant desiredTime, Instant timeScheduled, Instant expirationTime, Instant dueTime,
      Map<String, Object> properties, boolean immediate, int version, Instant updatedAt) {
    this(id, service, state, reason, customerNumber, desiredTime, timeScheduled, expirationTime, dueTime,
        properties, Map.of(), immediate, version, updatedAt, Map.of());
  }

  /** A callback whose request changed none of its service's options. */
  public Callback(
      String id, String service, CallbackState state, String reason, String customerNumber,
      Instant desiredTime, Instant timeScheduled, Instant expirationTime, Instant dueTime,
      Map<String, Object> properties, Map<String, Object> serverState, boolean immediate, int version,
      Instant updatedAt) {
    this(id, service, state, reason, customerNumber, desiredTime, timeScheduled, expirationTime, dueTime,
        properties, serverState, immediate, version, updatedAt, Map.of());
  }

  /** The same callback at another version (a stored change). */
  public Callback atVersion(int newVersion, Instant now) {
    return new Callback(
        id, service, state, reason, customerNumber, desiredTime, timeScheduled, expirationTime,
        dueTime, properties, serverState, immediate, newVersion, now, resolvedOptions);
  }

  /** A copy in another state, with its reason and due time, one version later. */
  public Callback withState(CallbackState newState, String newReason, Instant newDue, Instant now) {
    return new Callback(
        id, service, newState, newReason, customerNumber, desiredTime, timeScheduled,
        expirationTime, newDue, properties, serverState, immediate, version + 1, now, resolvedOptions);
  }

  /** A copy with other properties and customer number, one version later. */
  public Callback withProperties(Map<String, Object> newProperties, String newCustomerNumber, Instant now) {
    return new Callback(
        id, service, state, reason, newCustomerNumber, desiredTime, timeScheduled, expirationTime,
        dueTime, newProperties, serverState, immediate, version + 1, now, resolvedOptions);
  }

  /** A copy with more server-owned state ({@code added} wins), one version later. */
  public Callback withServerState(Map<String, Object> added, Instant now) {
    Map<String, Object> merged = new LinkedHashMap<>(serverState);
    merged.putAll(added);
    return new Callback(
        id, service, state, reason, customerNumber, desiredTime, timeScheduled, expirationTime,
        dueTime, properties, merged, immediate, version + 1, now, resolvedOptions);
  }

  /**
   * The text of a system field by its GMS key ({@code _id}, {@code _service_name}, {@code
   * _customer_number}, {@code _desired_time}, {@code _expiration_time}, {@code _time_scheduled},
   * {@code _callback_state}, {@code _callback_reason}); empty text for an unset number or reason;
   * null when the key is not a system field.
   */
  public String systemField(String key) {
    switch (key) {
      case "_id":
        return id;
      case "_service_name":
        return service;
      case "_customer_number":
        return customerNumber == null ? "" : customerNumber;
      case "_desired_time":
        return Times.format(desiredTime);
      case "_expiration_time":
        return Times.format(expirationTime);
      case "_time_scheduled":
        return Times.format(timeScheduled);
      case "_callback_state":
        return state.name();
      case "_callback_reason":
        return reason == null ? "" : reason;
      default:
        return null;
    }
  }

  /** Whether an external system drives it (its first state was forced). */
  public boolean isExternallyDriven() {
    return Boolean.TRUE.equals(serverState.get(EXTERNAL_LIFECYCLE));
  }

  /** The server-owned state a GET answer shows, read-only ({@link ServerState#SHOWN}). */
  public Map<String, Object> shownServerState() {
    Map<String, Object> shown = new LinkedHashMap<>();
    serverState.forEach((key, value) -> {
      if (ServerState.SHOWN.contains(key)) {
        shown.put(key, value);
      }
    });
    return shown;
  }

  /** Whether it holds a place in the bucket of its desired time (scheduled and still active). */
  public boolean holdsPlace() {
    return !immediate && state.isActive();
  }

  /** A copy with a new desired time (reschedule), one version later. */
  public Callback rescheduled(
      Instant newDesired, Instant newExpiration, CallbackState newState, Instant newDue, Instant now) {
    return new Callback(
        id, service, newState, null, customerNumber, newDesired, timeScheduled, newExpiration,
        newDue, properties, serverState, newState != CallbackState.SCHEDULED, version + 1, now,
        resolvedOptions);
  }
}
