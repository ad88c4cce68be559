-- Attribution: what really owned a listener (a container, VM, tunnel, dev server...), as the
-- origin's JSON ({"kind":...,"name":...,"details":{...}}), with its kind and name as columns so
-- that history and events can be asked by origin. Null when the holder was just a process.
ALTER TABLE listener_history ADD COLUMN origin TEXT;
ALTER TABLE listener_history ADD COLUMN origin_kind TEXT;
ALTER TABLE listener_history ADD COLUMN origin_name TEXT;
ALTER TABLE watch_events ADD COLUMN origin_kind TEXT;
ALTER TABLE watch_events ADD COLUMN origin_name TEXT;
CREATE INDEX watch_events_origin ON watch_events(origin_kind, origin_name);
