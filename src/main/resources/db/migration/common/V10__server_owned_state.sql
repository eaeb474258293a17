-- Server-owned state (issue 15): the bookkeeping the server writes for itself (_ors_session_id,
-- _ors_url, _webhook_delivered_at, _external_lifecycle, _reminder_sent_for, _disposition,
-- _disposition_notes, _error, ...) gets its own JSON column, apart from the request's properties,
-- so that no request can set it. V10_1 (store.V10_1__MoveServerOwnedKeys, a Java migration: H2 has
-- no JSON functions to do it in SQL) moves those keys out of today's rows.
ALTER TABLE callback ADD COLUMN server_state VARCHAR NOT NULL DEFAULT '{}';
