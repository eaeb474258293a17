-- A claim (SCHEDULED -> QUEUED) changes a callback's state; every index holding the state is
-- rewritten with it, and on H2 that index maintenance is most of a claim's cost (docs/benchmarks.md,
-- "Dispatch rate"). These two do not need the state in the index: a customer number has few
-- callbacks and a node's owned rows are found by owner, the state is then checked on the row.
-- (V9, not V7: other branches hold V7 and V8.)
DROP INDEX callback_service_number;
CREATE INDEX callback_service_number ON callback (service, customer_number);
DROP INDEX callback_owner;
CREATE INDEX callback_owner ON callback (owner_node);
