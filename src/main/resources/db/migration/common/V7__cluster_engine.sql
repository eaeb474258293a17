-- The built-in engine across a cluster (docs/cluster.md, "One queue across nodes"). Written only in
-- cluster mode (PostgreSQL); on H2 the columns stay empty.
-- A callback waiting for an agent in a virtual queue: the queue, since when (epoch millis) and its
-- priority, increment and interval (ms), so that any node orders the queue as the engine does.
ALTER TABLE callback ADD COLUMN vq_name VARCHAR(255);
ALTER TABLE callback ADD COLUMN vq_since BIGINT;
ALTER TABLE callback ADD COLUMN vq_priority INTEGER;
ALTER TABLE callback ADD COLUMN vq_increment INTEGER;
ALTER TABLE callback ADD COLUMN vq_interval BIGINT;

-- What each node's engine publishes about its agents (JSON), for a cluster-wide EWT.
CREATE TABLE engine_node (
    node_id    VARCHAR(128) NOT NULL PRIMARY KEY,
    agents     VARCHAR      NOT NULL,
    updated_at BIGINT       NOT NULL
);
