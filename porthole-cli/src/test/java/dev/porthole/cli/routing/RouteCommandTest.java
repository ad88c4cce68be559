package dev.porthole.cli.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.Porthole;
import dev.porthole.routing.http.RouterOptions;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code porthole route add/list/remove} in-process against a real daemon with its router. */
@Timeout(60)
class RouteCommandTest {
  @TempDir static Path dataDir;
  static Daemon daemon;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    daemon =
        Daemon.start(
            DaemonConfig.local(0, dataDir).withRouter(new RouterOptions("127.0.0.1", 0, 0)));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = daemon.url();
    all[args.length + 2] = "--data-dir";
    all[args.length + 3] = dataDir.toString();
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void addListRemove() {
    int https = daemon.router().httpsPort();
    Run add = run("route", "add", "cli.localhost", "127.0.0.1:8080", "5173");
    assertThat(add.exit()).isZero();
    assertThat(add.out())
        .startsWith("route cli.localhost → 127.0.0.1:8080, 127.0.0.1:5173\n")
        .contains("https://cli.localhost:" + https + "/");
    Run list = run("route", "list", "--no-color");
    assertThat(list.out())
        .contains("NAME", "UPSTREAMS", "cli.localhost", "127.0.0.1:8080, 127.0.0.1:5173")
        .contains("https://cli.localhost:" + https + "/");
    assertThat(run("route", "list", "--json").out())
        .startsWith("[ {\n  \"name\" : \"cli.localhost\",")
        .contains("\"address\" : \"127.0.0.1:8080\"", "\"skipped\" : false");
    assertThat(run("route", "remove", "cli.localhost"))
        .isEqualTo(new Run(0, "removed route cli.localhost\n", ""));
    assertThat(run("route", "remove", "cli.localhost"))
        .isEqualTo(new Run(1, "", "porthole route remove: no route cli.localhost\n"));
  }

  @Test
  void aNameOutsideLocalhostIsRefusedWithExit2() {
    Run r = run("route", "add", "api.example.com", "8080");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "porthole route add: name api.example.com: not under .localhost (only *.localhost resolves to"
                + " this machine by itself; try api.localhost)\n");
    assertThat(run("route", "add", "ok.localhost", "99999").err())
        .isEqualTo("porthole route add: upstream 99999 port: 99999 (expected: 1 to 65535)\n");
    assertThat(run("route", "add", "dup.localhost", "1").exit()).isZero();
    Run dup = run("route", "add", "dup.localhost", "2");
    assertThat(dup.exit()).isEqualTo(2);
    assertThat(dup.err()).contains("exists already");
  }
}
