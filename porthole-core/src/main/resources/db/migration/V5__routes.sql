-- Routes by name (issue 13): https://api.localhost -> 127.0.0.1:8080, kept across restarts.
CREATE TABLE routes (
  name    TEXT PRIMARY KEY,
  created INTEGER NOT NULL
);
CREATE TABLE route_upstreams (
  route    TEXT NOT NULL REFERENCES routes(name) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  address  TEXT NOT NULL,
  PRIMARY KEY (route, position)
);
