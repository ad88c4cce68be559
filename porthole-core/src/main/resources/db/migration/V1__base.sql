-- Base tables every porthole data file has. Statements end with ';' at the end of a line.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
