-- Admin API: the cancelled-callbacks export reads completed callbacks by reason and desired time.
CREATE INDEX callback_reason_desired ON callback (reason, desired_time);
