-- Only the callbacks waiting for an agent are indexed (cluster mode claims and positions).
CREATE INDEX callback_waiting ON callback (vq_name, service) WHERE vq_name IS NOT NULL;
