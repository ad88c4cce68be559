-- Watch: every event, and who held which listener when. Times are epoch milliseconds (UTC).
CREATE TABLE watch_events (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms  INTEGER NOT NULL,
  type     TEXT NOT NULL,
  alert    INTEGER NOT NULL,
  protocol TEXT,
  address  TEXT,
  port     INTEGER NOT NULL,
  pid      INTEGER,
  process  TEXT,
  message  TEXT NOT NULL,
  event    TEXT NOT NULL
);
CREATE INDEX watch_events_time ON watch_events(time_ms);
CREATE INDEX watch_events_port ON watch_events(port, time_ms);
-- One row per listener's life: opened_ms to closed_ms (null while it still listens).
CREATE TABLE listener_history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  protocol   TEXT NOT NULL,
  address    TEXT NOT NULL,
  port       INTEGER NOT NULL,
  scope      TEXT NOT NULL,
  inode      INTEGER NOT NULL,
  pid        INTEGER,
  process    TEXT,
  exe        TEXT,
  user       TEXT,
  owner      TEXT,
  opened_ms  INTEGER NOT NULL,
  closed_ms  INTEGER
);
CREATE INDEX listener_history_port ON listener_history(port, opened_ms);
CREATE INDEX listener_history_open ON listener_history(closed_ms);
