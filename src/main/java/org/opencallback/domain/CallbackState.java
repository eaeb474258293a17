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
   * The states that usually follow this one in a callback's life (GMS's documented flow). OpenCallback's
   * own engines report only these; a report outside them from an external engine is accepted but
   * logged as unusual ({@link #canMoveTo}).
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

  /**
   * Whether a state report ({@code PUT _callback_state}) of {@code target} is accepted in this state,
   * as GMS accepts them: anything but leaving COMPLETED, or going back to SCHEDULED (only a
   * reschedule, {@code _new_desired_time}, does that). Reporting the current state again is allowed.
   */
  public boolean canMoveTo(CallbackState target) {
    if (this == COMPLETED) {
      return false;
    }
    return target == this || target != SCHEDULED;
  }

  /** Whether {@code target} follows this state in the usual flow ({@link #next}, or the same state). */
  public boolean usuallyMovesTo(CallbackState target) {
    return target == this ? this != COMPLETED : next().contains(target);
  }
}
