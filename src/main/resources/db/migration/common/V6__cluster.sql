-- Cluster mode (docs/cluster.md). Each node running against this database, with its heartbeat: a
-- node whose heartbeat is older than the lease is dead, and another node takes over its callbacks.
-- instance tells two starts of the same node id apart.
CREATE TABLE node (
    node_id      VARCHAR(128) NOT NULL PRIMARY KEY,
    instance     VARCHAR(64)  NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL
);

-- The node whose engine holds an active (handed-over) callback: set when a node claims a due
-- callback or accepts an immediate one, moved when another node takes over a dead node's work.
ALTER TABLE callback ADD COLUMN owner_node VARCHAR(128);
CREATE INDEX callback_owner ON callback (owner_node, state);
