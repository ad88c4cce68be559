package dev.porthole.store;

import dev.porthole.routing.Route;
import dev.porthole.routing.RoutePersistence;
import dev.porthole.routing.Upstream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Returns the routes tables (migration V5) as the route table's persistence. */
public final class RouteTable implements RoutePersistence {
  private final Store store;

  public RouteTable(Store store) {
    this.store = store;
  }

  @Override
  public List<Route> load() {
    return store.transaction(
        c -> {
          List<Route> out = new ArrayList<>();
          List<Object[]> rows =
              store.query(
                  "SELECT name, created FROM routes ORDER BY created, name",
                  rs -> new Object[] {rs.getString(1), rs.getLong(2)});
          for (Object[] row : rows) {
            String name = (String) row[0];
            List<Upstream> upstreams =
                store.query(
                    "SELECT address FROM route_upstreams WHERE route = ? ORDER BY position",
                    rs -> Upstream.parse(rs.getString(1)),
                    name);
            out.add(new Route(name, upstreams, Instant.ofEpochMilli((Long) row[1])));
          }
          return out;
        });
  }

  @Override
  public void save(Route route) {
    store.transaction(
        c -> {
          store.execute("DELETE FROM routes WHERE name = ?", route.name());
          store.execute(
              "INSERT INTO routes(name, created) VALUES (?, ?)",
              route.name(),
              route.created().toEpochMilli());
          int position = 0;
          for (Upstream u : route.upstreams()) {
            store.execute(
                "INSERT INTO route_upstreams(route, position, address) VALUES (?, ?, ?)",
                route.name(),
                position++,
                u.toString());
          }
          return null;
        });
  }

  @Override
  public void delete(String name) {
    store.execute("DELETE FROM routes WHERE name = ?", name);
  }
}
