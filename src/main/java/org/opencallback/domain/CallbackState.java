package org.opencallback.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The GMS callback states ({@code _callback_state}) and the transitions allowed between them. */
public enum CallbackState {
  SCHEDULED,
  QUEUED,
  ROUTING,
  PROCESSING,
  PAUSED,
  COMPLETED;

  /** Parses a state name, any case; empty when it is not one. */
  public static Optional<CallbackState> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True for every state but {@link #COMPLETED}. */
  public boolean isActive() {
    return this != COMPLETED;
  }

  /**
   * The states an execution engine (or an external system driving the lifecycle) may report next.
   * Reporting the current state again is allowed and changes nothing. Nothing leaves COMPLETED.
   */
  public Set<CallbackState> next() {
    switch (this) {
      case SCHEDULED:
        return EnumSet.of(QUEUED, ROUTING, PROCESSING, PAUSED, COMPLETED);
      case QUEUED:
        return EnumSet.of(ROUTING, PROCESSING, PAUSED, COMPLETED);
      case ROUTING:
        return EnumSet.of(QUEUED, PROCESSING, PAUSED, COMPLETED);
      case PROCESSING:
        return EnumSet.of(COMPLETED);
      case PAUSED:
        return EnumSet.of(QUEUED, ROUTING, COMPLETED);
      case COMPLETED:
        return EnumSet.noneOf(CallbackState.class);
      default:
        throw new IllegalStateException(name());
    }
  }

  /** Whether a report of {@code target} is accepted in this state (same state included). */
  public boolean canMoveTo(CallbackState target) {
    return target == this ? this != COMPLETED : next().contains(target);
  }
}
