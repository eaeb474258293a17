package org.opencallback.engine.builtin;

/** Where an agent stands. */
public enum AgentState {
  /** Not working; takes nothing. */
  LOGGED_OUT,
  /** Waiting for a callback. */
  READY,
  /** Logged in but taking nothing, with a reason. */
  NOT_READY,
  /** Reserved for a callback: previewing it, or waiting while the customer is dialed. */
  RESERVED,
  /** On a call with a customer. */
  BUSY,
  /** After the call, filling in the disposition. */
  AFTER_CALL
}
