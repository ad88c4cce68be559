package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.ports.EphemeralRange;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs ports, who and info against real listeners in a child JVM. */
@Timeout(60)
class InventoryCommandsTest {
  private static final String[] SPECS = {
    "tcp:127.0.0.1", "tcp:127.0.0.2", "tcp:::1", "tcp:0.0.0.0", "udp:127.0.0.1", "udp:::1"
  };
  // Java binds 0.0.0.0 as a dual-stack :: unless it runs with the IPv4 stack only.
  private static final String[] V4_ONLY = {"tcp:0.0.0.0", "udp:0.0.0.0"};
  private static final String USER = System.getProperty("user.name");
  private static Child child;
  private static Child v4child;

  @BeforeAll
  static void startListeners() throws Exception {
    child = Child.start(List.of(), SPECS);
    v4child = Child.start(List.of("-Djava.net.preferIPv4Stack=true"), V4_ONLY);
  }

  @AfterAll
  static void stopListeners() throws Exception {
    child.close();
    v4child.close();
  }

  private static String portList() {
    return String.join(
        ",", Arrays.stream(SPECS).map(s -> Integer.toString(child.port(s))).toList());
  }

  /** Returns the table's data rows as whitespace-split fields. */
  private static List<String[]> rows(String table) {
    List<String[]> rows = new ArrayList<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("PROTO")) {
        rows.add(line.trim().split("\\s+"));
      }
    }
    return rows;
  }

  /**
   * Returns the rows of {@code pid}: on this shared machine another process may hold the same port
   * number on another address.
   */
  private static List<String[]> of(long pid, List<String[]> rows) {
    return rows.stream().filter(r -> r[4].equals(Long.toString(pid))).toList();
  }

  /** Returns a port of the child's that no other process uses, so one-line answers are exact. */
  private static int exclusive(String... specs) {
    for (String spec : specs) {
      int port = child.port(spec);
      boolean onlyChild =
          dev.porthole.sockets.SocketInventory.system().snapshot(true).onPort(port).stream()
              .allMatch(s -> s.owner() != null && s.owner().pid() == child.pid());
      if (onlyChild) {
        return port;
      }
    }
    throw new IllegalStateException("every listener port is shared with another process");
  }

  private static String[] row(List<String[]> rows, String proto, String address, int port) {
    return rows.stream()
        .filter(
            r -> r[0].equals(proto) && r[1].equals(address) && r[2].equals(Integer.toString(port)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + proto + " " + address + " " + port));
  }

  @Test
  void portsShowsEveryListenerWithPidProcessUserScopeAndClass() {
    Cli run = Cli.run("ports", "--port", portList());

    assertThat(run.exit()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow())
        .matches("PROTO +ADDRESS +PORT +STATE +PID +PROCESS +USER +SCOPE +CLASS +SERVICE +ORIGIN");
    List<String[]> rows = of(child.pid(), rows(run.out()));
    assertThat(rows).hasSize(SPECS.length);
    String pid = Long.toString(child.pid());
    String[] v4 = row(rows, "tcp", "127.0.0.1", child.port("tcp:127.0.0.1"));
    assertThat(v4)
        .startsWith(
            "tcp",
            "127.0.0.1",
            Integer.toString(child.port("tcp:127.0.0.1")),
            "LISTEN",
            pid,
            "java",
            USER,
            "loopback");
    assertThat(row(rows, "tcp", "127.0.0.2", child.port("tcp:127.0.0.2"))[7]).isEqualTo("loopback");
    assertThat(row(rows, "tcp", "::1", child.port("tcp:::1"))[4]).isEqualTo(pid);
    assertThat(row(rows, "tcp", "::", child.port("tcp:0.0.0.0"))[7]).isEqualTo("all");
    String[] udp = row(rows, "udp", "::1", child.port("udp:::1"));
    assertThat(udp)
        .startsWith(
            "udp",
            "::1",
            Integer.toString(child.port("udp:::1")),
            "UNCONN",
            pid,
            "java",
            USER,
            "loopback");
    // Port 0 gives ephemeral ports: registered or dynamic, never well-known.
    assertThat(rows).allSatisfy(r -> assertThat(r[8]).isIn("registered", "dynamic"));
  }

  @Test
  void portsJsonCarriesTheDocumentedFieldsAndShowsIpv4MappedAsIpv4() throws Exception {
    Cli run = Cli.run("ports", "--port", portList(), "--json");

    assertThat(run.exit()).isZero();
    JsonNode all = JsonMapper.builder().build().readTree(run.out()).get("sockets");
    List<JsonNode> mine = new ArrayList<>();
    all.forEach(n -> mine.add(n));
    JsonNode sockets =
        JsonMapper.builder()
            .build()
            .valueToTree(mine.stream().filter(n -> n.get("pid").asLong() == child.pid()).toList());
    assertThat(sockets).hasSize(SPECS.length);
    JsonNode v4 = find(sockets, "tcp", "127.0.0.1");
    // Java binds IPv4 through an IPv6 socket: /proc/net/tcp6 lists ::ffff:127.0.0.1.
    assertThat(v4.get("ipVersion").asInt()).isEqualTo(4);
    assertThat(v4.get("port").asInt()).isEqualTo(child.port("tcp:127.0.0.1"));
    assertThat(v4.get("pid").asLong()).isEqualTo(child.pid());
    assertThat(v4.get("process").asText()).isEqualTo("java");
    assertThat(v4.get("commandLine").asText()).contains(Listener.class.getName());
    assertThat(v4.get("user").asText()).isEqualTo(USER);
    assertThat(v4.get("scope").asText()).isEqualTo("loopback");
    assertThat(v4.get("state").asText()).isEqualTo("LISTEN");
    assertThat(v4.get("remoteAddress").isNull()).isTrue();
    assertThat(v4.get("owners").get(0).get("pid").asLong()).isEqualTo(child.pid());
    assertThat(find(sockets, "tcp", "::").get("scope").asText()).isEqualTo("all");
    assertThat(find(sockets, "udp", "::1").get("ipVersion").asInt()).isEqualTo(6);
    assertThat(v4.fieldNames())
        .toIterable()
        .containsExactly(
            "proto",
            "ipVersion",
            "localAddress",
            "port",
            "remoteAddress",
            "remotePort",
            "state",
            "pid",
            "process",
            "commandLine",
            "user",
            "uid",
            "scope",
            "portClass",
            "service",
            "inode",
            "owners",
            "origin");
    assertThat(v4.get("origin").isNull()).isTrue(); // a plain java -cp process: nothing more
  }

  private static JsonNode find(JsonNode sockets, String proto, String address) {
    for (JsonNode s : sockets) {
      if (s.get("proto").asText().equals(proto) && s.get("localAddress").asText().equals(address)) {
        return s;
      }
    }
    throw new AssertionError("no socket " + proto + " " + address + " in " + sockets);
  }

  @Test
  void portsFiltersByScopeFamilyProtocolAndProcess() {
    List<String[]> all =
        of(child.pid(), rows(Cli.run("ports", "--port", portList(), "--scope", "all").out()));
    String v4ports = v4child.port("tcp:0.0.0.0") + "," + v4child.port("udp:0.0.0.0");
    List<String[]> wildcard4 =
        of(v4child.pid(), rows(Cli.run("ports", "--port", v4ports, "--scope", "all", "-4").out()));
    List<String[]> v6 = of(child.pid(), rows(Cli.run("ports", "--port", portList(), "-6").out()));
    List<String[]> udp =
        of(child.pid(), rows(Cli.run("ports", "--port", portList(), "--udp", "-4").out()));
    List<String[]> byPid = rows(Cli.run("ports", "--process", Long.toString(child.pid())).out());
    List<String[]> byName = rows(Cli.run("ports", "--process", "no-such-process-name").out());

    assertThat(all).extracting(r -> r[1]).containsExactly("::");
    assertThat(wildcard4)
        .extracting(r -> r[0] + " " + r[1] + " " + r[4])
        .containsExactlyInAnyOrder("tcp 0.0.0.0 " + v4child.pid(), "udp 0.0.0.0 " + v4child.pid());
    assertThat(v6).extracting(r -> r[1]).containsExactlyInAnyOrder("::1", "::1", "::");
    assertThat(udp).extracting(r -> r[0] + " " + r[1]).containsExactly("udp 127.0.0.1");
    assertThat(byPid).hasSize(SPECS.length);
    assertThat(byName)
        .extracting(r -> String.join(" ", r))
        .containsExactly("nothing listens that matches");
  }

  @Test
  void portsAllAddsConnectionsWithTheirRemoteEnd() throws Exception {
    int port = child.port("tcp:127.0.0.1");
    try (java.net.Socket client = new java.net.Socket("127.0.0.1", port)) {
      int local = client.getLocalPort();
      String ports = local + "," + port;

      List<String[]> listenersOnly = rows(Cli.run("ports", "--port", ports).out());
      List<String[]> all = rows(Cli.run("ports", "--port", ports, "--all").out());
      List<String[]> established =
          rows(Cli.run("ports", "--port", Integer.toString(local), "--state", "established").out());

      // Other processes may use these port numbers on other addresses: look at ours only.
      assertThat(listenersOnly)
          .extracting(r -> r[1] + ":" + r[2])
          .contains("127.0.0.1:" + port)
          .doesNotContain("127.0.0.1:" + local);
      String me = Long.toString(ProcessHandle.current().pid());
      String[] mine =
          all.stream()
              .filter(r -> r[1].equals("127.0.0.1") && r[2].equals(Integer.toString(local)))
              .filter(r -> r[5].equals(me))
              .findFirst()
              .orElseThrow();
      // PROTO ADDRESS PORT REMOTE STATE PID PROCESS ...
      assertThat(mine[3]).isEqualTo("127.0.0.1:" + port);
      assertThat(mine[4]).isEqualTo("ESTABLISHED");
      assertThat(mine[5]).isEqualTo(Long.toString(ProcessHandle.current().pid()));
      assertThat(established)
          .extracting(r -> r[1] + " " + r[5])
          .contains("127.0.0.1 " + ProcessHandle.current().pid());
    }
  }

  @Test
  void portsRejectsBadFiltersInOneLine() {
    Cli badPort = Cli.run("ports", "--port", "9-2");
    Cli badScope = Cli.run("ports", "--scope", "planet");

    assertThat(badPort.exit()).isEqualTo(2);
    assertThat(badPort.err())
        .isEqualTo(
            "porthole ports: --port: '9-2' (expected: a port 1-65535 or a range A-B, e.g."
                + " 3000-3999)\n");
    assertThat(badScope.exit()).isEqualTo(2);
    assertThat(badScope.err())
        .isEqualTo("porthole ports: --scope: 'planet' (expected: loopback, all or specific)\n");
  }

  @Test
  void whoNamesTheHolderInOneLine() {
    String[] candidates = {"tcp:127.0.0.2", "tcp:127.0.0.1", "tcp:::1"};
    int port = exclusive(candidates);
    String spec =
        Arrays.stream(candidates).filter(c -> child.port(c) == port).findFirst().orElseThrow();
    Cli run = Cli.run("who", Integer.toString(port));

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .isEqualTo(
            port
                + ": java (PID "
                + child.pid()
                + ", user "
                + USER
                + ") on tcp "
                + spec.substring(4)
                + " [loopback]\n");
  }

  @Test
  void whoJsonListsTheListeningSockets() throws Exception {
    int port = child.port("udp:::1");
    JsonNode answer =
        JsonMapper.builder()
            .build()
            .readTree(Cli.run("who", Integer.toString(port), "--json").out());

    assertThat(answer.get("port").asInt()).isEqualTo(port);
    assertThat(answer.get("listening").asBoolean()).isTrue();
    JsonNode udp = find(answer.get("sockets"), "udp", "::1");
    assertThat(udp.get("pid").asLong()).isEqualTo(child.pid());
  }

  @Test
  void whoSaysNothingListensAndExitsOneOnAFreePort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli run = Cli.run("who", Integer.toString(port));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEqualTo("nothing listens on " + port + "\n");
  }

  @Test
  void whoRejectsWhatIsNotAPortInOneLine() {
    Cli abc = Cli.run("who", "abc");
    Cli big = Cli.run("who", "70000");

    assertThat(abc.exit()).isEqualTo(2);
    assertThat(abc.err())
        .isEqualTo("porthole who: port: 'abc' (expected: a whole number from 1 to 65535)\n");
    assertThat(big.exit()).isEqualTo(2);
    assertThat(big.err()).isEqualTo("porthole who: port: 70000 (expected: 1 to 65535)\n");
    assertThat(abc.out() + big.out()).isEmpty();
  }

  @Test
  void infoExplainsClassHolderAndEphemeralRange() throws Exception {
    int port = v4child.port("tcp:0.0.0.0");
    Cli run = Cli.run("info", Integer.toString(port));
    JsonNode json =
        JsonMapper.builder()
            .build()
            .readTree(Cli.run("info", Integer.toString(port), "--json").out());

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains(
            "holder     java (PID " + v4child.pid() + ", user " + USER + ") on tcp 0.0.0.0 [all]");
    assertThat(run.out()).containsPattern("class +(registered|dynamic) \\(");
    boolean inside = EphemeralRange.system().contains(port);
    assertThat(json.get("inEphemeralRange").asBoolean()).isEqualTo(inside);
    assertThat(run.out()).contains(inside ? "ephemeral  inside " : "ephemeral  outside ");
    assertThat(json.get("holders").get(0).get("pid").asLong()).isEqualTo(v4child.pid());
    assertThat(json.get("browserBlocked").asBoolean()).isFalse();
  }

  @Test
  void infoPrefersTheDeveloperNameAndKnowsBrowserBlockedPorts() throws Exception {
    JsonNode dev = JsonMapper.builder().build().readTree(Cli.run("info", "3000", "--json").out());
    Cli x11 = Cli.run("info", "6000");

    assertThat(dev.get("service").get("name").asText()).isEqualTo("dev-server");
    assertThat(dev.get("service").get("source").asText()).isEqualTo("developer");
    assertThat(dev.get("ianaTcp").get("name").asText()).isEqualTo("remoteware-cl");
    assertThat(dev.get("portClass").asText()).isEqualTo("registered");
    assertThat(x11.out()).contains("browsers   refused: on the Fetch standard's bad-ports list");
    assertThat(x11.out()).contains("service    x11: X Window System display :0");
    assertThat(Cli.run("info", "10080").out()).contains("IANA       amanda (tcp, udp)");
  }
}
