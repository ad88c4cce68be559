package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Proxies and toxics survive a daemon restart on the same data directory (Toxiproxy forgets). */
@Timeout(60)
class RestartTest {
  @TempDir Path dataDir;

  @Test
  void proxiesAndToxicsComeBackOnTheSamePorts() throws IOException {
    String before;
    String listen;
    try (EchoServer echo = new EchoServer()) {
      try (Daemon first = Daemon.start(DaemonConfig.local(0, dataDir))) {
        Http http = new Http(first.url());
        String created =
            http.post(
                    "/proxies",
                    "{\"name\":\"db\",\"listen\":\"127.0.0.1:0\",\"upstream\":\""
                        + echo.address()
                        + "\"}")
                .body();
        listen = created.replaceAll(".*\"listen\":\"([^\"]*)\".*", "$1");
        http.post(
            "/proxies/db/toxics",
            "{\"type\":\"latency\",\"stream\":\"Upstream\",\"toxicity\":0.5,\"attributes\":{\"latency\":5}}");
        http.post(
            "/proxies/db/toxics",
            "{\"type\":\"bandwidth\",\"name\":\"bw\",\"attributes\":{\"rate\":1000}}");
        http.post(
            "/proxies",
            "{\"name\":\"off\",\"listen\":\"localhost:0\",\"upstream\":\"x:1\",\"enabled\":false}");
        before = http.get("/proxies").body();
      }
      try (Daemon second = Daemon.start(DaemonConfig.local(0, dataDir))) {
        Http http = new Http(second.url());
        assertThat(http.get("/proxies").body()).isEqualTo(before);
        assertThat(before)
            .contains(
                "\"stream\":\"Upstream\"",
                "\"toxicity\":0.5",
                "\"rate\":1000",
                "\"listen\":\"localhost:0\"");
        assertThat(EchoServer.roundTrip(listen, "again")).isEqualTo("again");
        assertThat(http.delete("/proxies/off").statusCode()).isEqualTo(204);
      }
      try (Daemon third = Daemon.start(DaemonConfig.local(0, dataDir))) {
        assertThat(new Http(third.url()).get("/proxies").body())
            .doesNotContain("\"off\"")
            .contains("\"db\"");
      }
    }
  }

  @Test
  void aProxyWhosePortIsTakenComesBackDisabled() throws IOException {
    String listen;
    try (Daemon first = Daemon.start(DaemonConfig.local(0, dataDir))) {
      String created =
          new Http(first.url())
              .post("/proxies", "{\"name\":\"p\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"x:1\"}")
              .body();
      listen = created.replaceAll(".*\"listen\":\"([^\"]*)\".*", "$1");
    }
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    try (var busy = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress());
        Daemon second = Daemon.start(DaemonConfig.local(0, dataDir))) {
      assertThat(new Http(second.url()).get("/proxies/p").body())
          .contains("\"enabled\":false", listen);
    }
  }

  @Test
  void aStoredToxicThisVersionRefusesIsDroppedAndTheDaemonStarts() {
    try (dev.porthole.store.Store store =
        dev.porthole.store.Store.open(dataDir.resolve(dev.porthole.store.DataDir.DATABASE))) {
      store.execute("INSERT INTO proxies VALUES ('old', 'tcp', 'localhost:0', 'x:1', 0, 1)");
      store.execute(
          "INSERT INTO toxics VALUES ('old', 'bad', 'slicer', 'downstream', 1.0,"
              + " '{\"average_size\":0}', 0)");
      store.execute(
          "INSERT INTO toxics VALUES ('old', 'ok', 'latency', 'downstream', 1.0,"
              + " '{\"latency\":7}', 1)");
    }
    try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
      assertThat(new Http(d.url()).get("/proxies/old/toxics").body())
          .isEqualTo(
              "[{\"attributes\":{\"latency\":7,\"jitter\":0},\"name\":\"ok\",\"type\":\"latency\","
                  + "\"stream\":\"downstream\",\"toxicity\":1}]");
    }
  }
}
