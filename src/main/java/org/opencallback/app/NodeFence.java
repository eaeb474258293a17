package org.opencallback.app;

import java.util.List;
import java.util.function.Supplier;
import org.opencallback.cluster.ClusterMembership;
import org.opencallback.config.Configuration;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.NodeStore;

/**
 * What a cluster node does when it is fenced and when it holds its lease again (docs/cluster.md):
 * the built-in engine, the only one that holds callbacks in memory, forgets everything and takes
 * nothing; on resume it gets back the active callbacks this node still owns in the store (those
 * taken over meanwhile are another node's). The webhook and ORS engines hold nothing: a hand-off
 * needs a claim in the database first, which a node cut off from it cannot make.
 */
final class NodeFence implements ClusterMembership.Fence {
  private final BuiltinEngine builtin;
  private final Dispatcher dispatcher;
  private final NodeStore nodes;
  private final CallbackStore store;
  private final EngineRegistry engines;
  private final Supplier<Configuration> config;
  private final String nodeId;

  NodeFence(BuiltinEngine builtin, Dispatcher dispatcher, NodeStore nodes, CallbackStore store,
      EngineRegistry engines, Supplier<Configuration> config, String nodeId) {
    this.builtin = builtin;
    this.dispatcher = dispatcher;
    this.nodes = nodes;
    this.store = store;
    this.engines = engines;
    this.config = config;
    this.nodeId = nodeId;
  }

  @Override
  public void fence() {
    builtin.suspend();
  }

  @Override
  public void resume() {
    builtin.resume();
    List<String> mine = nodes.adopt(nodeId, false).stream()
        .filter(id -> store.find(id)
            .flatMap(callback -> config.get().service(callback.service()))
            .map(service -> engines.forService(service) == builtin)
            .orElse(false))
        .toList();
    dispatcher.recoverIds(mine);
  }
}
