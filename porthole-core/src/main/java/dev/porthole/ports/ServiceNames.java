package dev.porthole.ports;

import dev.porthole.sockets.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Returns the usual service of a port: porthole's developer overlay first, then IANA's registry.
 *
 * <p>Both tables are classpath resources ({@code dev-services.txt}, and {@code
 * iana-services.txt.gz} made by {@code scripts/gen-iana-services.py}), read on first use only: a
 * command that prints no service never pays for them, and a lookup the small overlay answers never
 * inflates IANA's 6,000 lines. The overlay wins because IANA's name can mislead a developer (3000
 * is a dev server, not "remoteware-cl"). The names alone are compiled in as well ({@link
 * #usualName}), for {@code ports}, which needs a name for every socket and no description.
 */
public final class ServiceNames {
  private static final int PORTS = 65536;

  private ServiceNames() {}

  private static final class Developer {
    static final Service[][] TABLE = load("dev-services.txt", false, Service.Source.DEVELOPER);
  }

  private static final class Iana {
    static final Service[][] TABLE = load("iana-services.txt.gz", true, Service.Source.IANA);
  }

  /**
   * Returns the service a developer expects on {@code port}, or null when neither table has one.
   */
  public static Service usual(int port, Protocol protocol) {
    Service developer = developer(port, protocol);
    return developer != null ? developer : iana(port, protocol);
  }

  /**
   * Returns the name of the service a developer expects on {@code port}, the name {@link #usual}
   * gives, or null: from constants compiled in ({@link UsualServiceNames}), so a command that
   * prints names only ({@code ports}) never reads the tables.
   */
  public static String usualName(int port, Protocol protocol) {
    check(port);
    String ports = UsualServiceNames.PORTS;
    int low = 0;
    int high = ports.length();
    while (low < high) { // the first entry on a port >= port
      int middle = (low + high) >>> 1;
      if (ports.charAt(middle) < port) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    char wanted = protocol == Protocol.TCP ? 't' : 'u';
    for (int i = low; i < ports.length() && ports.charAt(i) == port; i++) {
      char p = UsualServiceNames.PROTOCOLS.charAt(i);
      if (p == '*' || p == wanted) {
        int start = i == 0 ? 0 : UsualServiceNames.NAME_ENDS.charAt(i - 1);
        return UsualServiceNames.NAMES.substring(start, UsualServiceNames.NAME_ENDS.charAt(i));
      }
    }
    return null;
  }

  /** Returns porthole's developer default on {@code port}, or null. */
  public static Service developer(int port, Protocol protocol) {
    return Developer.TABLE[protocol.ordinal()][check(port)];
  }

  /** Returns IANA's registered service on {@code port}, or null when none is registered. */
  public static Service iana(int port, Protocol protocol) {
    return Iana.TABLE[protocol.ordinal()][check(port)];
  }

  private static int check(int port) {
    if (port < 0 || port >= PORTS) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
    return port;
  }

  /** Reads {@code port|proto|name|description} lines; proto {@code *} means TCP and UDP. */
  private static Service[][] load(String resource, boolean gzip, Service.Source source) {
    Service[][] table = new Service[Protocol.values().length][PORTS];
    try (InputStream raw = ServiceNames.class.getResourceAsStream(resource)) {
      if (raw == null) {
        throw new IllegalStateException("resource missing from the jar: " + resource);
      }
      InputStream in = gzip ? new GZIPInputStream(raw, 32 * 1024) : raw;
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 32 * 1024);
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isEmpty() || line.charAt(0) == '#') {
          continue;
        }
        int a = line.indexOf('|');
        int b = line.indexOf('|', a + 1);
        int c = line.indexOf('|', b + 1);
        int port = Integer.parseInt(line, 0, a, 10);
        String proto = line.substring(a + 1, b);
        Service service = new Service(line.substring(b + 1, c), line.substring(c + 1), source);
        if (!proto.equals("udp")) {
          table[Protocol.TCP.ordinal()][port] = service;
        }
        if (!proto.equals("tcp")) {
          table[Protocol.UDP.ordinal()][port] = service;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    return table;
  }
}
