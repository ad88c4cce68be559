import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens LISTENERS loopback listeners and CONNECTIONS connected pairs (two sockets each), prints
 * "ready" and holds them until killed: the socket table a watch benchmark runs against.
 *
 * <p>Usage: java SocketFarm.java 1000 4500   # 1,000 + 2 x 4,500 = 10,000 sockets
 */
public class SocketFarm {
  public static void main(String[] args) throws Exception {
    int listeners = Integer.parseInt(args[0]);
    int connections = Integer.parseInt(args[1]);
    InetAddress lo = InetAddress.getLoopbackAddress();
    List<AutoCloseable> keep = new ArrayList<>();
    List<ServerSocketChannel> servers = new ArrayList<>();
    for (int i = 0; i < listeners; i++) {
      ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress(lo, 0), 1024);
      servers.add(s);
      keep.add(s);
    }
    for (int i = 0; i < connections; i++) {
      ServerSocketChannel s = servers.get(i % servers.size());
      SocketChannel c = SocketChannel.open(s.getLocalAddress());
      keep.add(c);
      keep.add(s.accept());
    }
    System.out.println("ready " + (listeners + 2 * connections) + " sockets, pid "
        + ProcessHandle.current().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
