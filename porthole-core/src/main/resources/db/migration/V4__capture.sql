-- Capture: one row per recorded connection (or UDP session). Times are epoch milliseconds (UTC).
-- The whole record (HTTP exchanges, kept bodies and stream chunks) is JSON in `record`; `size`
-- is that JSON's length, so retention by total size is one SUM.
CREATE TABLE capture_connections (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  proxy      TEXT NOT NULL,
  conn_id    INTEGER NOT NULL,
  client     TEXT NOT NULL,
  kind       TEXT NOT NULL,
  end_reason TEXT NOT NULL,
  opened_ms  INTEGER NOT NULL,
  closed_ms  INTEGER NOT NULL,
  bytes_up   INTEGER NOT NULL,
  bytes_down INTEGER NOT NULL,
  requests   INTEGER NOT NULL,
  size       INTEGER NOT NULL,
  record     BLOB NOT NULL
);
CREATE INDEX capture_connections_proxy ON capture_connections(proxy, opened_ms);
CREATE INDEX capture_connections_opened ON capture_connections(opened_ms);
