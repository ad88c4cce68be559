import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds N open loopback sockets (N/2 connections, both ends) until stdin closes, so the
 * whole-process benchmarks have something to list. Prints "ready PID" when they are open.
 */
public class Hold {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getByName("127.0.0.1"))) {
      for (int i = 0; i < n / 2; i++) {
        held.add(new Socket("127.0.0.1", server.getLocalPort()));
        held.add(server.accept());
      }
      System.out.println("ready " + ProcessHandle.current().pid());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until stdin closes
      }
    }
  }
}
