package dev.porthole.routing;

import java.util.List;

/** Returns where routes are kept between runs (the store's {@code routes} table; or nothing). */
public interface RoutePersistence {
  /** Keeps nothing: routes live as long as the process. */
  RoutePersistence NONE =
      new RoutePersistence() {
        @Override
        public List<Route> load() {
          return List.of();
        }

        @Override
        public void save(Route route) {}

        @Override
        public void delete(String name) {}
      };

  /** Returns every kept route, oldest first. */
  List<Route> load();

  /** Keeps {@code route}, replacing one of the same name. */
  void save(Route route);

  /** Forgets the route called {@code name}. */
  void delete(String name);
}
