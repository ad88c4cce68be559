-- Named proxies and their toxics, restored when the daemon starts (Toxiproxy forgets them).
CREATE TABLE proxies (
  name     TEXT PRIMARY KEY,
  protocol TEXT NOT NULL,
  listen   TEXT NOT NULL,
  upstream TEXT NOT NULL,
  enabled  INTEGER NOT NULL,
  created  INTEGER NOT NULL
);
CREATE TABLE toxics (
  proxy      TEXT NOT NULL REFERENCES proxies(name) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  stream     TEXT NOT NULL,
  toxicity   REAL NOT NULL,
  attributes TEXT NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (proxy, name)
);
