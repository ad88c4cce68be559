package dev.porthole.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.Porthole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code porthole service}: the unit as text, and the path where no user systemd answers (this
 * machine and CI containers have none; {@code --systemctl} points at a program that is absent).
 */
@Timeout(60)
class ServiceCommandTest {
  @TempDir Path units;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Porthole.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private String[] service(String... args) {
    List<String> all = new ArrayList<>(List.of("service"));
    all.add(args[0]);
    all.add("--unit-dir=" + units);
    all.add("--systemctl=/nonexistent/systemctl");
    all.addAll(List.of(args).subList(1, args.length));
    return all.toArray(String[]::new);
  }

  @Test
  void printShowsTheUnitWithTheGivenUpFlagsAndChangesNothing() {
    Run result = run(service("install", "--print", "--", "--port", "63800", "--toxiproxy-port"));

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out())
        .startsWith("# Written by `porthole service install`")
        .contains("[Unit]\nDescription=porthole daemon")
        .contains("[Service]\nType=simple\nExecStart=")
        .containsPattern("\nExecStart=\\S+.* up --port 63800 --toxiproxy-port\n")
        .contains("Restart=on-failure")
        .endsWith("[Install]\nWantedBy=default.target\n");
    assertThat(units).isEmptyDirectory();
  }

  @Test
  void withoutSystemdItWritesTheUnitSaysSoAndPrintsTheCommandsToRun() throws Exception {
    Run result = run(service("install", "--", "--port", "63801"));

    assertThat(result.exit()).isEqualTo(3);
    Path unit = units.resolve("porthole.service");
    assertThat(result.out())
        .startsWith("wrote " + unit + "\n")
        .contains("  systemctl --user daemon-reload\n")
        .contains("  systemctl --user enable --now porthole.service\n")
        .containsPattern("  or, without systemd: \\S+.* up --port 63801\n");
    assertThat(result.err()).startsWith("porthole: no systemd user manager here (");
    assertThat(Files.readString(unit)).contains(" up --port 63801\n");

    Run status = run(service("status", "--json"));
    assertThat(status.exit()).isEqualTo(3);
    assertThat(status.out())
        .contains("\"installed\" : true")
        .contains("\"systemd\" : false")
        .contains("\"reason\" : \"cannot run /nonexistent/systemctl\"")
        .contains("\"unit\" : \"" + unit + "\"");

    Run uninstall = run(service("uninstall"));
    assertThat(uninstall.exit()).as(uninstall.err()).isZero();
    assertThat(uninstall.out()).isEqualTo("removed " + unit + "\n");
    assertThat(unit).doesNotExist();

    Run again = run(service("uninstall"));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("not installed: no " + unit);
  }

  @Test
  void aBadUpFlagIsAUsageErrorBeforeAnythingIsWritten() {
    Run result = run(service("install", "--", "--port", "notaport"));

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).contains("porthole up --port notaport: ").doesNotContain("\tat ");
    assertThat(units).isEmptyDirectory();
  }

  @Test
  void execStartQuotesWordsWithSpacesAndEscapesSystemdSpecifiers() {
    UserUnit unit = new UserUnit(List.of("/opt/my tools/porthole", "up", "--data-dir", "/tmp/50%$x"));

    assertThat(unit.execStart())
        .isEqualTo("\"/opt/my tools/porthole\" up --data-dir /tmp/50%%$$x");
  }
}
