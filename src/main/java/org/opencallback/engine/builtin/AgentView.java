package org.opencallback.engine.builtin;

import java.util.List;

/**
 * An agent as the agent API shows it.
 *
 * @param id the agent's id
 * @param name display name
 * @param simulated whether the engine plays it ({@code engine.agents})
 * @param state where it stands
 * @param reason the not-ready reason, or null
 * @param services the services it serves; empty: all
 * @param callback the callback it is working on, or null
 */
public record AgentView(
    String id, String name, boolean simulated, AgentState state, String reason, List<String> services, String callback) {}
