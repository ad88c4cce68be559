package dev.porthole.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.porthole.proxy.Direction;
import dev.porthole.proxy.ProxyPersistence;
import dev.porthole.proxy.ToxicState;
import dev.porthole.sockets.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Returns the proxies and toxics tables (migration V2) as the control plane's persistence. */
public final class ProxyTable implements ProxyPersistence {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Store store;

  public ProxyTable(Store store) {
    this.store = store;
  }

  @Override
  public List<Stored> load() {
    return store.transaction(
        c -> {
          List<Stored> out = new ArrayList<>();
          List<Stored> bare =
              store.query(
                  "SELECT name, protocol, listen, upstream, enabled FROM proxies ORDER BY created",
                  rs ->
                      new Stored(
                          rs.getString(1),
                          Protocol.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                          rs.getString(3),
                          rs.getString(4),
                          rs.getInt(5) != 0,
                          List.of()));
          for (Stored p : bare) {
            out.add(
                new Stored(
                    p.name(),
                    p.protocol(),
                    p.listen(),
                    p.upstream(),
                    p.enabled(),
                    toxics(p.name())));
          }
          return out;
        });
  }

  private List<ToxicState> toxics(String proxy) {
    return store.query(
        "SELECT name, type, stream, toxicity, attributes FROM toxics WHERE proxy = ?"
            + " ORDER BY position",
        rs -> {
          String stream = rs.getString(3);
          return new ToxicState(
              rs.getString(1),
              rs.getString(2),
              stream,
              Direction.valueOf(stream.toUpperCase(Locale.ROOT)),
              rs.getFloat(4),
              parse(rs.getString(5)));
        },
        proxy);
  }

  @Override
  public void save(Stored p) {
    store.transaction(
        c -> {
          int updated =
              store.execute(
                  "UPDATE proxies SET protocol = ?, listen = ?, upstream = ?, enabled = ?"
                      + " WHERE name = ?",
                  p.protocol().label(),
                  p.listen(),
                  p.upstream(),
                  p.enabled() ? 1 : 0,
                  p.name());
          if (updated == 0) {
            store.execute(
                "INSERT INTO proxies (name, protocol, listen, upstream, enabled, created) VALUES"
                    + " (?, ?, ?, ?, ?, (SELECT coalesce(max(created), 0) + 1 FROM proxies))",
                p.name(),
                p.protocol().label(),
                p.listen(),
                p.upstream(),
                p.enabled() ? 1 : 0);
          }
          store.execute("DELETE FROM toxics WHERE proxy = ?", p.name());
          int position = 0;
          for (ToxicState t : p.toxics()) {
            store.execute(
                "INSERT INTO toxics (proxy, name, type, stream, toxicity, attributes, position)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                p.name(),
                t.name(),
                t.type(),
                t.stream(),
                (double) t.toxicity(),
                write(t.attributes()),
                position++);
          }
          return null;
        });
  }

  @Override
  public void delete(String name) {
    store.execute("DELETE FROM proxies WHERE name = ?", name);
  }

  private static String write(Map<String, Object> attributes) {
    try {
      return JSON.writeValueAsString(attributes);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write toxic attributes: " + e.getOriginalMessage(), e);
    }
  }

  private static Map<String, Object> parse(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new StoreException(
          "stored toxic attributes are not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
