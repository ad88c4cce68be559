import dev.porthole.testing.LocalProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves LocalProxy creates to bench/proxy/short-connections.py over stdin and stdout, one line
 * each way, so the library's proxies are timed by the same client as the daemon's and
 * Toxiproxy's: {@code open LISTEN UPSTREAM} starts {@code LocalProxy} on 127.0.0.1:LISTEN in front
 * of 127.0.0.1:UPSTREAM and answers its port; {@code close LISTEN} closes it and answers {@code
 * closed}. Calls {@link LocalProxy#warmUp()} first, as the JUnit extension does when it loads, then
 * answers {@code ready}.
 */
public class LocalProxyServe {
  public static void main(String[] args) throws Exception {
    LocalProxy.warmUp();
    PrintStream out = System.out;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    Map<Integer, LocalProxy> open = new HashMap<>();
    out.println("ready");
    out.flush();
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ");
      try {
        if (w[0].equals("open") && w.length == 3) {
          LocalProxy p =
              LocalProxy.builder()
                  .listen(Integer.parseInt(w[1]))
                  .upstream(Integer.parseInt(w[2]))
                  .start();
          open.put(p.port(), p);
          out.println(p.port());
        } else if (w[0].equals("close")
            && w.length == 2
            && open.containsKey(Integer.parseInt(w[1]))) {
          open.remove(Integer.parseInt(w[1])).close();
          out.println("closed");
        } else {
          out.println("error: expected 'open LISTEN UPSTREAM' or 'close LISTEN', got: " + line);
        }
      } catch (RuntimeException e) {
        out.println("error: " + e.getMessage());
      }
      out.flush();
    }
    open.values().forEach(LocalProxy::close);
  }
}
