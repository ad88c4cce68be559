package dev.porthole.cli;

import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in a child JVM started by the tests: binds each {@code tcp:ADDRESS} / {@code udp:ADDRESS}
 * argument on port 0, prints {@code PROTO ADDRESS PORT} per socket and then {@code ready}, and
 * holds them until its stdin closes. {@code ignore-term} makes it survive SIGTERM.
 */
public final class Listener {
  private Listener() {}

  @SuppressWarnings("removal")
  public static void main(String[] args) throws Exception {
    List<Closeable> held = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("ignore-term")) {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {});
        continue;
      }
      String proto = arg.substring(0, arg.indexOf(':'));
      String address = arg.substring(arg.indexOf(':') + 1);
      InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(address), 0);
      int port;
      if (proto.equals("tcp")) {
        ServerSocket server = new ServerSocket();
        server.bind(bind, 50);
        held.add(server);
        port = server.getLocalPort();
      } else {
        DatagramSocket udp = new DatagramSocket(bind);
        held.add(udp);
        port = udp.getLocalPort();
      }
      System.out.println(proto + " " + address + " " + port);
    }
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // hold the sockets until the test closes our stdin (or kills us)
    }
    for (Closeable c : held) {
      c.close();
    }
  }
}
