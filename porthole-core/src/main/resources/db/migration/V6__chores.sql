-- Stable ports: one port per name, never given to another name (UNIQUE port). Times: epoch ms.
CREATE TABLE port_names (
  name       TEXT PRIMARY KEY,
  port       INTEGER NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL
);
-- Packet filter rules porthole inserted, recorded before insertion so a crash leaves a trace.
-- expires_ms is null for --keep; removed_ms is set once the rule is gone from the filter.
-- owner_pid/owner_start: the process that holds the timer (foreground CLI or daemon), if any.
CREATE TABLE firewall_rules (
  id         TEXT PRIMARY KEY,
  backend    TEXT NOT NULL,
  verdict    TEXT NOT NULL,
  protocol   TEXT NOT NULL,
  port       INTEGER NOT NULL,
  iface      TEXT,
  owner_pid  INTEGER,
  owner_start TEXT,
  reason     TEXT,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER,
  removed_ms INTEGER
);
CREATE INDEX firewall_rules_open ON firewall_rules(removed_ms);
-- Frozen processes: the pid, its start time (to tell a reused pid) and the rules that block it.
CREATE TABLE quarantines (
  id          TEXT PRIMARY KEY,
  pid         INTEGER NOT NULL,
  start_ticks INTEGER NOT NULL,
  name        TEXT,
  exe         TEXT,
  sha256      TEXT,
  ports       TEXT NOT NULL,
  rule_ids    TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  released_ms INTEGER
);
