package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyRegistry;
import dev.porthole.server.Daemon;
import dev.porthole.server.DaemonConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The commands that talk to a daemon, run in-process against a real one on port 0. */
@Timeout(60)
class DaemonCommandsTest {
  @TempDir static Path dataDir;
  static Daemon daemon;
  static String dbListen;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withSecurity(false, true));
    ProxyRegistry proxies = daemon.services().proxies();
    dbListen =
        proxies
            .create(new ProxyRegistry.NewProxy("db", "127.0.0.1:0", "127.0.0.1:5432", null, null))
            .listen();
    proxies.create(new ProxyRegistry.NewProxy("web", "localhost:0", "localhost:8080", false, null));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Runs a command against the test daemon (its URL, and its data dir for the token). */
  static Run daemon(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = daemon.url();
    all[args.length + 2] = "--data-dir";
    all[args.length + 3] = dataDir.toString();
    return run(all);
  }

  @Test
  void toxicAddUpdateListRemove() {
    Run add =
        daemon(
            "toxic",
            "add",
            "db",
            "-t",
            "latency",
            "-n",
            "lag",
            "-a",
            "latency=200",
            "-a",
            "jitter=20");
    assertThat(add)
        .isEqualTo(
            new Run(
                0, "db: added lag (latency downstream latency=200 jitter=20 toxicity=1)\n", ""));
    Run up =
        daemon(
            "toxic", "add", "db", "-t", "bandwidth", "-u", "-a", "rate=100", "--toxicity", "0.5");
    assertThat(up.out())
        .isEqualTo("db: added bandwidth_upstream (bandwidth upstream rate=100 toxicity=0.5)\n");
    Run update = daemon("toxic", "update", "db", "lag", "-a", "latency=500");
    assertThat(update.out())
        .isEqualTo("db: updated lag (latency downstream latency=500 jitter=20 toxicity=1)\n");
    assertThat(daemon("toxic", "list", "db").out())
        .isEqualTo(
            "NAME                TYPE       STREAM      TOXICITY  ATTRIBUTES\n"
                + "bandwidth_upstream  bandwidth  upstream         0.5  rate=100\n"
                + "lag                 latency    downstream         1  latency=500 jitter=20\n");
    assertThat(daemon("toxic", "list", "db", "--json").out()).contains("\"name\" : \"lag\"");
    assertThat(daemon("toxic", "remove", "db", "bandwidth_upstream"))
        .isEqualTo(new Run(0, "db: removed bandwidth_upstream\n", ""));
    assertThat(daemon("toxic", "remove", "db", "lag").exit()).isZero();
    assertThat(daemon("toxic", "list", "db").out()).isEqualTo("no toxics on db\n");
  }

  @Test
  void proxiesTableAndJson() {
    Run r = daemon("proxies");
    assertThat(r.exit()).isZero();
    String listenPad = " ".repeat(Math.max(0, dbListen.length() - "localhost:0".length()));
    String pad = " ".repeat(Math.max(0, "localhost:0".length() - dbListen.length()));
    assertThat(r.out())
        .isEqualTo(
            "NAME  PROTO  LISTEN"
                + " ".repeat(Math.max(dbListen.length(), 11) - 6)
                + "  UPSTREAM        ENABLED  TOXICS  CONNS  BYTES UP/DOWN\n"
                + "db    tcp    "
                + dbListen
                + pad
                + "  127.0.0.1:5432  yes      -           0  0 B / 0 B\n"
                + "web   tcp    localhost:0"
                + listenPad
                + "  localhost:8080  no       -           0  0 B / 0 B\n");
    Run json = daemon("proxies", "--json");
    assertThat(json.out()).contains("\"name\" : \"db\"", "\"connectionsOpen\" : 0");
  }

  @Test
  void badInputIsExit2AndNotFoundExit1() {
    assertThat(daemon("toxic", "add", "db", "-t", "latency", "-a", "latency=abc"))
        .isEqualTo(
            new Run(
                2,
                "",
                "porthole toxic add: -a latency: 'abc' (expected: a number, e.g. 300 or 0.5)\n"));
    // The daemon answers in Toxiproxy's words (Go struct field ...); the CLI says it in its own.
    assertThat(daemon("toxic", "add", "db", "-t", "latency", "-n", "frac", "-a", "latency=1.5"))
        .isEqualTo(
            new Run(2, "", "porthole toxic add: -a latency: 1.5 (expected: a whole number)\n"));
    assertThat(daemon("toxic", "add", "db", "-t", "latency", "-n", "typo", "-a", "latncy=3"))
        .isEqualTo(
            new Run(
                2,
                "",
                "porthole toxic add: unknown attribute 'latncy' for toxic type latency (expected:"
                    + " latency, jitter)\n"));
    assertThat(daemon("toxic", "add", "db", "-t", "latency", "-a", "latency=-3").exit())
        .isEqualTo(2);
    assertThat(daemon("toxic", "add", "db", "-t", "slicer"))
        .isEqualTo(
            new Run(2, "", "porthole toxic add: slicer: average_size must be > 0 (got 0)\n"));
    assertThat(daemon("toxic", "add", "db", "-t", "nope"))
        .isEqualTo(new Run(2, "", "porthole toxic add: invalid toxic type\n"));
    assertThat(daemon("toxic", "add", "ghost", "-t", "latency"))
        .isEqualTo(new Run(1, "", "porthole toxic add: proxy not found\n"));
    assertThat(daemon("toxic", "remove", "db", "ghost"))
        .isEqualTo(new Run(1, "", "porthole toxic remove: toxic not found\n"));
    assertThat(daemon("toxic", "add", "db", "-t", "noop", "-u", "-s", "upstream"))
        .isEqualTo(
            new Run(2, "", "porthole toxic add: give one of --stream, --upstream, --downstream\n"));
    assertThat(daemon("toxic", "update", "db", "ghost"))
        .isEqualTo(
            new Run(
                2,
                "",
                "porthole toxic update: nothing to change: give -a KEY=VALUE or --toxicity\n"));
  }

  @Test
  void theTokenIsNeededAndReadFromTheDataDir() throws Exception {
    Path other = Files.createTempDirectory("no-token");
    Run r =
        run(
            "toxic",
            "add",
            "db",
            "-t",
            "noop",
            "--url",
            daemon.url(),
            "--data-dir",
            other.toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "porthole toxic add: the daemon requires its token, and there is none in "
                + other.resolve("token")
                + ": pass the daemon's data directory with --data-dir DIR (the one 'porthole up'"
                + " printed)\n");
  }

  @Test
  void noDaemonIsExit3() {
    assertThat(run("proxies", "--url", "http://127.0.0.1:1"))
        .isEqualTo(
            new Run(
                3,
                "",
                "porthole proxies: no porthole daemon at http://127.0.0.1:1 (start one: porthole"
                    + " up)\n"));
  }

  @Test
  void upRefusesWhatItCannotDo() throws Exception {
    Path file = Files.writeString(dataDir.resolve("a-file"), "x");
    Run unwritable = run("up", "--port", "0", "--data-dir", file.resolve("sub").toString());
    assertThat(unwritable.exit()).isEqualTo(3);
    assertThat(unwritable.err())
        .startsWith("porthole up: cannot create data directory " + file.resolve("sub"));
    assertThat(unwritable.err().lines()).hasSize(1);
    assertThat(run("up", "--port", "0", "--host", "0.0.0.0", "--data-dir", dataDir.toString()))
        .isEqualTo(
            new Run(
                2,
                "",
                "porthole up: --host: 0.0.0.0 is not loopback (add --allow-remote to listen beyond"
                    + " it)\n"));
    Run inUse =
        run("up", "--port", String.valueOf(daemon.port()), "--data-dir", dataDir.toString());
    assertThat(inUse)
        .isEqualTo(
            new Run(
                3,
                "",
                "porthole up: cannot listen on "
                    + daemon.url()
                    + ": address already in use (another porthole up? --port 0 picks a free"
                    + " port)\n"));
  }

  @Test
  void toxiproxyServerVersionAndBadHost() {
    assertThat(run("toxiproxy-server", "-version").out())
        .isEqualTo(
            "toxiproxy-server version 2.12.0 (porthole "
                + dev.porthole.build.BuildInfo.current().version()
                + ")\n");
    assertThat(run("toxiproxy-server", "-host", "no-such-host.invalid"))
        .isEqualTo(
            new Run(
                2, "", "porthole toxiproxy-server: -host no-such-host.invalid: no such host\n"));
  }

  @Test
  void toxicTypesListsEveryTypeWithItsDefaults() {
    Run r = daemon("toxic", "types");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("TYPE ")
        .contains("\nlatency ")
        .contains("latency=0 jitter=0")
        .contains("\nnoop ");
  }
}
