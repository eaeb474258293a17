package org.opencallback.domain;

import java.time.Instant;

/**
 * One entry of a callback's state history.
 *
 * @param state the state entered
 * @param reason the reason given with it, may be null
 * @param at when
 * @param source who caused it: api, engine, dispatch, admin, housekeeping…
 */
public record StateChange(CallbackState state, String reason, Instant at, String source) {}
