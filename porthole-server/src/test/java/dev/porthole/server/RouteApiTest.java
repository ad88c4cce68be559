package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.porthole.routing.http.RouterOptions;
import dev.porthole.testsupport.EchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/routes} and the daemon's router: add, list, remove, errors, restarts, the CA. */
@Timeout(60)
class RouteApiTest {
  @TempDir Path dataDir;

  private Daemon start() {
    return Daemon.start(
        DaemonConfig.local(0, dataDir).withRouter(new RouterOptions("127.0.0.1", 0, 0)));
  }

  @Test
  void routesAreAddedListedRemovedAndSurviveARestart() throws IOException {
    try (EchoServer echo = new EchoServer();
        ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      int port = upstream.getLocalPort();
      try (Daemon d = start()) {
        Http http = new Http(d.url());
        var created =
            http.post(
                "/api/routes",
                "{\"name\":\"API.localhost\",\"upstreams\":[\"127.0.0.1:" + port + "\", 5173]}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body())
            .startsWith(
                "{\"name\":\"api.localhost\",\"upstreams\":[{\"address\":\"127.0.0.1:"
                    + port
                    + "\",\"skipped\":false},{\"address\":\"127.0.0.1:5173\",\"skipped\":false}]");
        http.post("/api/routes", "{\"name\":\"web.localhost\",\"upstreams\":[\"5174\"]}");
        assertThat(http.get("/api/routes").body()).contains("api.localhost", "web.localhost");
        assertThat(http.delete("/api/routes/web.localhost").statusCode()).isEqualTo(204);
        assertThat(http.get("/api/router").body())
            .contains("\"running\":true", "\"httpPort\":" + d.router().httpPort())
            .contains("\"tls\":\"OpenSSL (BoringSSL)\""); // netty-tcnative on Linux x86-64
      }
      try (Daemon d = start()) {
        Http http = new Http(d.url());
        assertThat(http.get("/api/routes").body())
            .contains("\"name\":\"api.localhost\"")
            .doesNotContain("web.localhost");
        assertThat(http.get("/api/routes/api.localhost").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void badRoutesGetOneLineReasons() {
    try (Daemon d = start()) {
      Http http = new Http(d.url());
      var outside =
          http.post("/api/routes", "{\"name\":\"api.example.com\",\"upstreams\":[\"8080\"]}");
      assertThat(outside.statusCode()).isEqualTo(400);
      assertThat(outside.body())
          .isEqualTo(
              "{\"error\":\"name api.example.com: not under .localhost (only *.localhost resolves"
                  + " to this machine by itself; try api.localhost)\",\"status\":400}");
      assertThat(http.post("/api/routes", "{\"name\":\"a.localhost\"}").body())
          .contains("missing required field: upstreams");
      assertThat(
              http.post("/api/routes", "{\"name\":\"a.localhost\",\"upstreams\":[\"x:0\"]}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(http.post("/api/routes", "[1]").statusCode()).isEqualTo(400);
      assertThat(http.post("/api/routes", "{").statusCode()).isEqualTo(400);
      http.post("/api/routes", "{\"name\":\"a.localhost\",\"upstreams\":[\"1\"]}");
      assertThat(
              http.post("/api/routes", "{\"name\":\"a.localhost\",\"upstreams\":[\"1\"]}")
                  .statusCode())
          .isEqualTo(409);
      assertThat(http.delete("/api/routes/none.localhost").body())
          .isEqualTo("{\"error\":\"no route none.localhost\",\"status\":404}");
    }
  }

  @Test
  void theRouterAnswersARouteAddedThroughTheApi() throws IOException {
    HttpServer upstream =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext(
        "/",
        ex -> {
          byte[] body =
              ("proto=" + ex.getRequestHeaders().getFirst("X-Forwarded-Proto") + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    upstream.start();
    try (Daemon d = start()) {
      Http http = new Http(d.url());
      http.post(
          "/api/routes",
          "{\"name\":\"echo.localhost\",\"upstreams\":[" + upstream.getAddress().getPort() + "]}");
      String raw =
          Http.raw(
              d.router().httpPort(),
              "GET /hello HTTP/1.1\r\nHost: echo.localhost\r\nConnection: close\r\n\r\n");
      assertThat(raw).startsWith("HTTP/1.1 200").endsWith("proto=http\n");
      String missing =
          Http.raw(
              d.router().httpPort(),
              "GET / HTTP/1.1\r\nHost: other.localhost\r\nConnection: close\r\n\r\n");
      assertThat(missing).startsWith("HTTP/1.1 404").contains("echo.localhost");
    } finally {
      upstream.stop(0);
    }
  }

  @Test
  void theCaKeyIsReadableByItsOwnerOnly() throws IOException {
    try (Daemon d = start()) {
      Path key = dataDir.resolve("ca").resolve("porthole-ca-key.pem");
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(key);
      assertThat(PosixFilePermissions.toString(perms)).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.getParent())))
          .isEqualTo("rwx------");
      assertThat(d.router().caCertificate()).endsWith("porthole-ca.pem");
    }
  }
}
