-- Services paused through the admin API (POST /genesys/1/admin/callback/services/{svc}/pause), so
-- that a pause survives a restart and is seen by every node sharing the database. Pauses from the
-- GMS_Paused_Services transaction list live in the configuration, not here.
CREATE TABLE paused_service (
    service   VARCHAR(255) NOT NULL PRIMARY KEY,
    paused_at BIGINT       NOT NULL
);
