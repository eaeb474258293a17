/**
 * OpenCallback's built-in execution engine: virtual queues, simulated and real agents, a dialer, and
 * the GMS callback scenarios built from the service options. docs/engine.md describes it.
 */
package org.opencallback.engine.builtin;
