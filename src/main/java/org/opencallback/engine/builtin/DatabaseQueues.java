package org.opencallback.engine.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.opencallback.domain.Callback;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.WaitingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in engine's shared queues on the cluster's database ({@link WaitingStore}): this class
 * turns the engine's instants and records into the table's epoch milliseconds and JSON. Thread-safe.
 */
final class DatabaseQueues implements SharedQueues {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseQueues.class);
  /** Agents another node published longer ago than this are not counted (it is gone or stalled). */
  private static final Duration FRESH = Duration.ofSeconds(10);

  private final WaitingStore waiting;
  private final CallbackStore store;
  private final ObjectMapper json;

  DatabaseQueues(WaitingStore waiting, CallbackStore store, ObjectMapper json) {
    this.waiting = waiting;
    this.store = store;
    this.json = json;
  }

  @Override
  public boolean publish(String id, String queue, Instant since, int priority, int increment, Duration interval) {
    return waiting.publish(id, new WaitingStore.Waiting(queue, since.toEpochMilli(), priority, increment,
        interval.toMillis()));
  }

  @Override
  public boolean withdraw(String id) {
    return waiting.withdraw(id);
  }

  @Override
  public Optional<Claimed> claimNext(Collection<String> services, Instant now) {
    return waiting.claimNext(services, now.toEpochMilli())
        .map(claimed -> new Claimed(claimed.id(), Instant.ofEpochMilli(claimed.since())));
  }

  @Override
  public Optional<Callback> find(String id) {
    return store.find(id);
  }

  @Override
  public Optional<Integer> position(String id, Instant now) {
    return waiting.position(id, now.toEpochMilli());
  }

  @Override
  public int waiting(String queue) {
    return waiting.waiting(queue);
  }

  @Override
  public Set<String> stillHeld(Collection<String> ids) {
    return waiting.stillHeld(ids);
  }

  @Override
  public List<NodeAgents> exchangeAgents(NodeAgents mine, Instant now) {
    try {
      waiting.publishAgents(json.writeValueAsString(mine), now.toEpochMilli());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write this node's agents", e);
    }
    List<NodeAgents> others = new ArrayList<>();
    for (String published : waiting.othersAgents(now.minus(FRESH).toEpochMilli())) {
      try {
        others.add(json.readValue(published, NodeAgents.class));
      } catch (JsonProcessingException e) {
        LOG.warn("Unreadable agents published by another node: {}", e.getOriginalMessage());
      }
    }
    return others;
  }

  @Override
  public void tell(String message) {
    waiting.notifyEngines(message);
  }

  @Override
  public String nodeId() {
    return waiting.nodeId();
  }
}
