-- Housekeeping (docs/reliability.md, "Every table and its purge"): the purges of past throttle days
-- and past booking slots read by time, and forget-me deletes a customer number's throttle rows by
-- value; the primary keys lead with the service, so each needs its own index.
CREATE INDEX throttle_count_day ON throttle_count (day_start);
CREATE INDEX throttle_count_value ON throttle_count (param_value);
CREATE INDEX booking_count_slot ON booking_count (slot_start);
