package org.opencallback.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallbackStateTest {

  @Test
  void the_ors_progress_path_is_allowed() {
    assertThat(CallbackState.SCHEDULED.canMoveTo(CallbackState.QUEUED)).isTrue();
    assertThat(CallbackState.QUEUED.canMoveTo(CallbackState.ROUTING)).isTrue();
    assertThat(CallbackState.ROUTING.canMoveTo(CallbackState.PROCESSING)).isTrue();
    assertThat(CallbackState.PROCESSING.canMoveTo(CallbackState.COMPLETED)).isTrue();
  }

  @Test
  void every_active_state_can_complete_and_nothing_leaves_completed() {
    for (CallbackState state : CallbackState.values()) {
      if (state.isActive()) {
        assertThat(state.canMoveTo(CallbackState.COMPLETED)).as(state.name()).isTrue();
      }
      assertThat(CallbackState.COMPLETED.canMoveTo(state)).as(state.name()).isFalse();
    }
  }

  @Test
  void only_a_move_back_to_scheduled_is_refused_as_gms_does_and_other_backward_moves_are_unusual() {
    assertThat(CallbackState.PROCESSING.canMoveTo(CallbackState.QUEUED)).isTrue();
    assertThat(CallbackState.PROCESSING.canMoveTo(CallbackState.ROUTING)).isTrue();
    assertThat(CallbackState.PROCESSING.usuallyMovesTo(CallbackState.ROUTING)).isFalse();
    for (CallbackState state : CallbackState.values()) {
      if (state != CallbackState.SCHEDULED) {
        assertThat(state.canMoveTo(CallbackState.SCHEDULED)).as(state.name()).isFalse();
      }
    }
    assertThat(CallbackState.SCHEDULED.canMoveTo(CallbackState.SCHEDULED)).isTrue();
  }

  @Test
  void reporting_the_same_active_state_again_is_accepted() {
    assertThat(CallbackState.QUEUED.canMoveTo(CallbackState.QUEUED)).isTrue();
    assertThat(CallbackState.PROCESSING.canMoveTo(CallbackState.PROCESSING)).isTrue();
  }

  @Test
  void states_parse_in_any_case() {
    assertThat(CallbackState.parse("queued")).contains(CallbackState.QUEUED);
    assertThat(CallbackState.parse(" COMPLETED ")).contains(CallbackState.COMPLETED);
    assertThat(CallbackState.parse("DONE")).isEmpty();
    assertThat(CallbackState.parse(null)).isEmpty();
  }

  @Test
  void times_use_the_gms_format() {
    assertThat(Times.parse("2026-01-31T14:30:00.000Z")).isPresent();
    assertThat(Times.parse("2026-01-31T14:30:00Z")).isPresent();
    assertThat(Times.parse("2026-01-31T15:30:00.000+01:00")).isEqualTo(Times.parse("2026-01-31T14:30:00.000Z"));
    assertThat(Times.parse("31/01/2026")).isEmpty();
    assertThat(Times.format(Times.parse("2026-01-31T14:30:00Z").orElseThrow()))
        .isEqualTo("2026-01-31T14:30:00.000Z");
  }
}
