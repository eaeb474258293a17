-- Callback records. Times are UTC epoch milliseconds (BIGINT), the same on every database.
CREATE TABLE callback (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    service         VARCHAR(255) NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    reason          VARCHAR(64),
    customer_number VARCHAR(128),
    desired_time    BIGINT       NOT NULL,
    time_scheduled  BIGINT       NOT NULL,
    expiration_time BIGINT       NOT NULL,
    due_time        BIGINT,
    properties      VARCHAR      NOT NULL,
    version         INTEGER      NOT NULL,
    updated_at      BIGINT       NOT NULL
);

-- dispatch: what falls due next in a state
CREATE INDEX callback_state_due ON callback (state, due_time);
-- watermarks, per-service queries
CREATE INDEX callback_service_state ON callback (service, state, desired_time);
-- housekeeping: expiry and purge
CREATE INDEX callback_expiration ON callback (expiration_time);
CREATE INDEX callback_customer ON callback (customer_number);

-- Every scalar property of a callback, for lookup by _customer_lookup_keys (user-data keys included).
CREATE TABLE callback_key (
    callback_id VARCHAR(64)  NOT NULL,
    service     VARCHAR(255) NOT NULL,
    key_name    VARCHAR(255) NOT NULL,
    key_value   VARCHAR(512) NOT NULL,
    PRIMARY KEY (callback_id, key_name),
    CONSTRAINT callback_key_callback FOREIGN KEY (callback_id) REFERENCES callback (id) ON DELETE CASCADE
);
CREATE INDEX callback_key_lookup ON callback_key (key_name, key_value, service);

-- State history with timestamps.
CREATE TABLE callback_history (
    callback_id VARCHAR(64) NOT NULL,
    seq         INTEGER     NOT NULL,
    state       VARCHAR(16) NOT NULL,
    reason      VARCHAR(64),
    changed_at  BIGINT      NOT NULL,
    source      VARCHAR(32) NOT NULL,
    PRIMARY KEY (callback_id, seq),
    CONSTRAINT callback_history_callback FOREIGN KEY (callback_id) REFERENCES callback (id) ON DELETE CASCADE
);
