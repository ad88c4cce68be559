package dev.porthole.junit5;

import dev.porthole.testing.LocalProxy;
import dev.porthole.testing.PortReservation;
import dev.porthole.testing.Ports;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Returns the values the annotations ask for, each registered in a {@link ExtensionContext.Store}
 * so that JUnit closes it when that context ends (the test, or the class for static fields).
 */
final class Resources {
  static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PortholeExtension.class);
  private static final String GUARDED = "guarded";

  private Resources() {}

  /** Returns a proxy a test declared with {@code requireTraffic}, and where it was declared. */
  record Guarded(LocalProxy proxy, String where) {}

  /**
   * Returns the value for an element annotated {@link ProxyTo} or {@link FreePort}.
   *
   * @param type the field or parameter type
   * @param label the field or parameter name
   * @param where "field OrderTest.api", for messages
   * @param fields reads a field of the test class by name
   */
  static Object create(
      ExtensionContext context,
      ProxyTo proxyTo,
      FreePort freePort,
      Class<?> type,
      String label,
      String where,
      Function<String, Object> fields) {
    if (proxyTo != null && freePort != null) {
      throw new ExtensionConfigurationException(
          where + " has both @ProxyTo and @FreePort; keep one");
    }
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    return proxyTo != null
        ? proxy(context, store, proxyTo, type, label, where, fields)
        : port(store, type, where);
  }

  private static LocalProxy proxy(
      ExtensionContext context,
      ExtensionContext.Store store,
      ProxyTo a,
      Class<?> type,
      String label,
      String where,
      Function<String, Object> fields) {
    if (type != LocalProxy.class) {
      throw UpstreamSource.fail(
          where, "the type must be " + LocalProxy.class.getName() + ", not " + type.getName());
    }
    String upstream = UpstreamSource.resolve(a, where, fields);
    LocalProxy proxy;
    try {
      proxy =
          LocalProxy.builder()
              .name(a.name().isBlank() ? label : a.name())
              .upstream(upstream)
              .start();
    } catch (IllegalArgumentException e) {
      throw UpstreamSource.fail(where, e.getMessage());
    }
    store.put(new Object(), proxy); // closed by JUnit with the context
    if (a.requireTraffic()) {
      guarded(context).add(new Guarded(proxy, where));
    }
    return proxy;
  }

  private static Object port(ExtensionContext.Store store, Class<?> type, String where) {
    boolean number = type == int.class || type == Integer.class;
    if (!number && type != PortReservation.class) {
      throw new ExtensionConfigurationException(
          "@FreePort on "
              + where
              + ": the type must be int, Integer or "
              + PortReservation.class.getName()
              + ", not "
              + type.getName());
    }
    PortReservation r = Ports.reserve();
    store.put(new Object(), r);
    if (number) {
      r.release(); // an int cannot be released by the test; the cross-JVM lock stays
      return r.port();
    }
    return r;
  }

  /** Returns the guarded proxies of {@code context} itself (a store also sees its parents'). */
  @SuppressWarnings("unchecked")
  static List<Guarded> guarded(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .computeIfAbsent(
            GUARDED + context.getUniqueId(),
            k -> new java.util.concurrent.CopyOnWriteArrayList<Guarded>(),
            List.class);
  }
}
