-- Whether a callback was judged immediate when accepted (throttles count these; the others take a
-- place in the time bucket of their desired time while active).
ALTER TABLE callback ADD COLUMN immediate BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX callback_service_created ON callback (service, immediate, time_scheduled);
CREATE INDEX callback_service_number ON callback (service, customer_number, state);

-- Places taken by scheduled callbacks, per service and 5-minute slot (UTC epoch millis, a multiple
-- of 300000). Every bucket size (5…120 minutes) and every zone offset in use is a whole number of
-- such slots, so a bucket's bookings are a sum over its slots.
CREATE TABLE booking_count (
    service    VARCHAR(255) NOT NULL,
    slot_start BIGINT       NOT NULL,
    taken      INTEGER      NOT NULL,
    PRIMARY KEY (service, slot_start)
);

-- Immediate callbacks accepted per service, throttled parameter value and UTC day.
CREATE TABLE throttle_count (
    service     VARCHAR(255) NOT NULL,
    param_name  VARCHAR(255) NOT NULL,
    param_value VARCHAR(512) NOT NULL,
    day_start   BIGINT       NOT NULL,
    taken       INTEGER      NOT NULL,
    PRIMARY KEY (service, param_name, param_value, day_start)
);
