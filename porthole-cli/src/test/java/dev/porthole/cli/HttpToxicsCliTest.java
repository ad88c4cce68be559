package dev.porthole.cli;

import static dev.porthole.cli.DaemonCommandsTest.Run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyRegistry;
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

/** The HTTP toxics from the CLI against a real daemon: string attributes and bad values. */
@Timeout(60)
class HttpToxicsCliTest {
  @TempDir static Path dataDir;
  static Daemon daemon;

  @BeforeAll
  static void start() {
    daemon = Daemon.start(DaemonConfig.local(0, dataDir).withSecurity(false, true));
    daemon.services().proxies()
        .create(new ProxyRegistry.NewProxy("api", "127.0.0.1:0", "127.0.0.1:5432", null, null));
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  static Run daemon(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = daemon.url();
    all[args.length + 2] = "--data-dir";
    all[args.length + 3] = dataDir.toString();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Porthole.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void addsUpdatesAndListsHttpToxics() {
    assertThat(daemon("toxic", "add", "api", "-t", "http_error", "-u", "-n", "e",
            "-a", "status=502", "-a", "body=123", "-a", "path=/api/*"))
        .isEqualTo(new Run(0, "api: added e (http_error upstream status=502 body=123 rate=1"
            + " method= path=/api/* toxicity=1)\n", ""));
    assertThat(daemon("toxic", "update", "api", "e", "-a", "method=GET", "-a", "rate=0.25").out())
        .isEqualTo("api: updated e (http_error upstream status=502 body=123 rate=0.25"
            + " method=GET path=/api/* toxicity=1)\n");
    assertThat(daemon("toxic", "remove", "api", "e").exit()).isZero();
    assertThat(daemon("toxic", "types").out())
        .contains("\nhttp_error        tcp        status=503 body= rate=1 method= path=\n")
        .contains("\nhttp_drop         tcp        rate=1 method= path=\n")
        .contains("\nhttp_delay        tcp        delay=0 method= path=\n")
        .contains("\nhttp_abort        tcp        after_bytes=0 method= path=\n");
  }

  @Test
  void badAttributesAreUsageErrors() {
    assertThat(daemon("toxic", "add", "api", "-t", "http_error", "-a", "rate=2"))
        .isEqualTo(new Run(2, "",
            "porthole toxic add: http_error: rate must be between 0.0 and 1.0 (got 2.0)\n"));
    assertThat(daemon("toxic", "add", "api", "-t", "http_error", "-a", "status=99"))
        .isEqualTo(new Run(2, "",
            "porthole toxic add: http_error: status must be between 200 and 599 (got 99)\n"));
    assertThat(daemon("toxic", "add", "api", "-t", "http_drop", "-a", "paht=/x"))
        .isEqualTo(new Run(2, "", "porthole toxic add: -a paht: '/x' (expected: a number,"
            + " e.g. 300 or 0.5)\n"));
    assertThat(daemon("toxic", "add", "api", "-t", "http_drop", "-a", "paht=1"))
        .isEqualTo(new Run(2, "", "porthole toxic add: unknown attribute 'paht' for toxic type"
            + " http_drop (expected: rate, method, path)\n"));
  }
}
