package dev.porthole.junit5;

import dev.porthole.testing.LocalProxy;
import dev.porthole.testing.PortReservation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Returns the upstream a {@link ProxyTo} names, or says how to fix the annotation. */
final class UpstreamSource {
  private static final List<String> ACCESSORS =
      List.of("getPort", "port", "getLocalPort", "getAddress", "address");

  private UpstreamSource() {}

  /**
   * Returns the upstream text (a port, host:port or URI).
   *
   * @param where "field OrderTest.api", for the messages
   * @param fields reads a field of the test class by name (injecting it first if it is ours)
   */
  static String resolve(ProxyTo a, String where, Function<String, Object> fields) {
    List<String> given = new ArrayList<>();
    for (String[] kv :
        new String[][] {
          {"value", a.value()}, {"property", a.property()}, {"env", a.env()}, {"field", a.field()}
        }) {
      if (!kv[1].isBlank()) {
        given.add(kv[0]);
      }
    }
    if (given.isEmpty()) {
      throw fail(
          where,
          "no upstream; give exactly one of value = \"host:port\", property = \"NAME\","
              + " env = \"NAME\" or field = \"NAME\"");
    }
    if (given.size() > 1) {
      throw fail(
          where, String.join(" and ", given) + " are both set; give exactly one upstream source");
    }
    return switch (given.getFirst()) {
      case "value" -> a.value();
      case "property" ->
          nonEmpty(
              where,
              System.getProperty(a.property()),
              "system property "
                  + a.property()
                  + " is not set (run with -D"
                  + a.property()
                  + "=host:port, or give value = \"host:port\")");
      case "env" ->
          nonEmpty(
              where,
              System.getenv(a.env()),
              "environment variable "
                  + a.env()
                  + " is not set (export "
                  + a.env()
                  + "=host:port, or give value = \"host:port\")");
      default -> ofField(where, a.field(), fields.apply(a.field()));
    };
  }

  private static String nonEmpty(String where, String value, String problem) {
    if (value == null || value.isBlank()) {
      throw fail(where, problem);
    }
    return value;
  }

  private static String ofField(String where, String name, Object value) {
    if (value == null) {
      throw fail(
          where,
          "field "
              + name
              + " is null when the proxy is created; start it in the field's initializer, the"
              + " constructor or a static @BeforeAll (fields are injected before @BeforeEach)");
    }
    String upstream = describe(value);
    if (upstream == null) {
      throw fail(
          where,
          "field "
              + name
              + " holds a "
              + value.getClass().getName()
              + ", which names no upstream; use an int port, a String, URI, InetSocketAddress,"
              + " ServerSocket, or an object with getPort(), port(), getLocalPort() or"
              + " getAddress()");
    }
    if (upstream.endsWith(":0") || upstream.endsWith(":-1")) {
      throw fail(
          where, "field " + name + " gives no port yet (" + upstream + "): is it listening?");
    }
    return upstream;
  }

  /** Returns {@code value} as an upstream, or null when its type names none. */
  private static String describe(Object value) {
    return switch (value) {
      case Integer port -> "127.0.0.1:" + port;
      case String s -> s;
      case URI uri -> uri.toString();
      case URL url -> url.toString();
      case InetSocketAddress a -> ofAddress(a);
      case ServerSocket s -> "127.0.0.1:" + s.getLocalPort();
      case PortReservation r -> r.hostPort();
      case LocalProxy p -> p.hostPort();
      default -> byAccessor(value);
    };
  }

  private static String ofAddress(InetSocketAddress a) {
    if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
      return "127.0.0.1:" + a.getPort(); // a server on all interfaces answers on loopback too
    }
    String host = a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Calls the first public accessor that returns a port or an address. */
  private static String byAccessor(Object value) {
    for (String name : ACCESSORS) {
      Method m = accessible(value.getClass(), name);
      if (m == null) {
        continue;
      }
      Object result;
      try {
        result = m.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (result instanceof Integer port) {
        return "127.0.0.1:" + port;
      }
      if (result instanceof InetSocketAddress a) {
        return ofAddress(a);
      }
    }
    return null;
  }

  /** Returns {@code name()} as declared by a public, exported type of {@code c}, or null. */
  private static Method accessible(Class<?> c, String name) {
    for (Class<?> t = c; t != null; t = t.getSuperclass()) {
      List<Class<?>> types = new ArrayList<>(List.of(t));
      types.addAll(List.of(t.getInterfaces()));
      for (Class<?> type : types) {
        if (!Modifier.isPublic(type.getModifiers())
            || !type.getModule().isExported(type.getPackageName())) {
          continue;
        }
        try {
          Method m = type.getMethod(name);
          if (m.getParameterCount() == 0) {
            return m;
          }
        } catch (NoSuchMethodException e) {
          // Not on this type; try the next.
        }
      }
    }
    return null;
  }

  /**
   * Returns the field {@code name} of {@code c}, a superclass, or an enclosing class (a nested test
   * class sees its outer class's servers), or null.
   */
  static Field findField(Class<?> c, String name) {
    for (Class<?> outer = c; outer != null; outer = outer.getEnclosingClass()) {
      for (Class<?> t = outer; t != null && t != Object.class; t = t.getSuperclass()) {
        try {
          return t.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
          // Look in the superclass, then the enclosing class.
        }
      }
    }
    return null;
  }

  static ExtensionConfigurationException fail(String where, String problem) {
    return new ExtensionConfigurationException("@ProxyTo on " + where + ": " + problem);
  }
}
