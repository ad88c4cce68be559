package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Docker engine with {@code --userland-proxy=false} in a network namespace of its own: a
 * port published there is a DNAT rule and no socket, which only {@code ports --all-published} (run
 * inside that namespace, as it would run on the engine's host) shows, with its container.
 */
@Timeout(240)
class DnatPublishedTest {
  private static TestDockerEngine engine;
  private static int port;
  private static int quietPort;

  @BeforeAll
  static void start() throws Exception {
    engine = TestDockerEngine.startWithoutUserlandProxy();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // the engine's namespace has no listener at all
    }
    engine.docker(
        "run",
        "-d",
        "--name",
        "dnat-web",
        "-p",
        "127.0.0.1:" + port + ":80",
        TestDockerEngine.IMAGE,
        "/bin/busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/");
    try (ServerSocket s = new ServerSocket(0)) {
      quietPort = s.getLocalPort();
    }
    // Published, running, but nothing inside listens on its port 80.
    engine.docker(
        "run",
        "-d",
        "--name",
        "dnat-quiet",
        "-p",
        "127.0.0.1:" + quietPort + ":80",
        TestDockerEngine.IMAGE,
        "/bin/busybox",
        "sleep",
        "600");
  }

  @AfterAll
  static void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void thePortAnswersThroughTheRuleAlthoughNothingListens() throws Exception {
    Process curl =
        new ProcessBuilder(
                "nsenter",
                "--net=" + engine.netns(),
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "--max-time",
                "10",
                "http://127.0.0.1:" + port + "/bin/")
            .redirectErrorStream(true)
            .start();
    String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Integer.parseInt(status.strip())).as("busybox httpd's answer").isBetween(200, 404);
    // Without its userland proxy, dockerd binds the port only to reserve it (it never accepts):
    // porthole names the container behind that socket too.
    Run ports =
        PortholeProcess.runIn(
            engine.netns(), engine.socket(), "ports", "--port", "" + port, "--json");
    JsonNode socket = new JsonMapper().readTree(ports.out()).get("sockets").get(0);
    assertThat(socket.get("process").asText()).isEqualTo("dockerd");
    assertThat(socket.get("origin").get("name").asText()).isEqualTo("dnat-web");
    assertThat(socket.get("origin").get("details").get("via").asText()).isEqualTo("dnat");
  }

  @Test
  void checkSaysTheContainerBehindTheRuleAnswers() throws Exception {
    Run json =
        PortholeProcess.runIn(
            engine.netns(), engine.socket(), "check", "127.0.0.1:" + port, "--json");
    assertThat(json.code()).as(json.out() + json.err()).isZero();
    JsonNode published = new JsonMapper().readTree(json.out()).get("published");
    assertThat(published.get("summary").asText())
        .isEqualTo(
            "published by Docker to container dnat-web ("
                + TestDockerEngine.IMAGE
                + ") port 80 via DNAT");
    assertThat(published.get("via").asText()).isEqualTo("dnat");
    assertThat(published.get("container").asText()).isEqualTo("dnat-web");
    assertThat(published.get("image").asText()).isEqualTo(TestDockerEngine.IMAGE);
    assertThat(published.get("containerPort").asText()).isEqualTo("80/tcp");
    assertThat(published.get("target").asText()).endsWith(":80");

    Run human = PortholeProcess.runIn(engine.netns(), engine.socket(), "check", "" + port);
    assertThat(human.out())
        .contains("UP")
        .contains("note: this port is published by Docker to container dnat-web (");
  }

  @Test
  void checkExplainsAPublishedPortWhoseContainerRefuses() throws Exception {
    Run json =
        PortholeProcess.runIn(
            engine.netns(), engine.socket(), "check", "127.0.0.1:" + quietPort, "--json");
    assertThat(json.code()).as(json.out() + json.err()).isEqualTo(1);
    JsonNode result = new JsonMapper().readTree(json.out());
    assertThat(result.get("diagnosis").get("code").asText()).isEqualTo("PUBLISHED_VIA_DNAT");
    assertThat(result.get("diagnosis").get("summary").asText())
        .isEqualTo(
            quietPort
                + " is published by Docker to container dnat-quiet ("
                + TestDockerEngine.IMAGE
                + ") port 80 via DNAT; nothing in container dnat-quiet accepts on 80/tcp.");
    assertThat(result.get("published").get("container").asText()).isEqualTo("dnat-quiet");

    Run human =
        PortholeProcess.runIn(engine.netns(), engine.socket(), "check", "127.0.0.1:" + quietPort);
    assertThat(human.code()).isEqualTo(1);
    assertThat(human.out())
        .contains("DOWN")
        .doesNotContain("note: this port is") // the diagnosis says it already
        .contains("published by Docker to container dnat-quiet")
        .contains("start the service in container dnat-quiet on 80/tcp, bound to 0.0.0.0");
  }

  @Test
  void allPublishedNamesTheContainerAndTheRule() throws Exception {
    Run r =
        PortholeProcess.runIn(
            engine.netns(),
            engine.socket(),
            "ports",
            "--all-published",
            "--port",
            "" + port,
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode p = new JsonMapper().readTree(r.out()).get("published").get(0);
    assertThat(p.get("via").asText()).isEqualTo("dnat");
    assertThat(p.get("port").asInt()).isEqualTo(port);
    assertThat(p.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(p.get("origin").get("name").asText()).isEqualTo("dnat-web");
    assertThat(p.get("origin").get("details").get("containerPort").asText()).isEqualTo("80/tcp");
    assertThat(p.get("rule").asText())
        .startsWith("-A DOCKER -d 127.0.0.1/32 -p tcp -m tcp --dport " + port + " -j DNAT");
    assertThat(p.get("target").asText()).endsWith(":80");
    assertThat(p.get("process").asText()).isEqualTo("dockerd");

    Run table = PortholeProcess.runIn(engine.netns(), engine.socket(), "ports", "--all-published");
    assertThat(table.out())
        .contains("Published by container engines and DNAT rules:")
        .contains("DNAT (dockerd reserves)")
        .contains("container dnat-web (" + TestDockerEngine.IMAGE + ") port 80/tcp");
  }

  @Test
  void withoutTheEngineTheRuleIsStillListedWithItsTarget() throws Exception {
    Run r =
        PortholeProcess.runIn(
            engine.netns(),
            java.nio.file.Path.of("/nonexistent/docker.sock"),
            "ports",
            "--all-published",
            "--port",
            Integer.toString(port));
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("DNAT (dockerd reserves)")
        .containsPattern("10\\.214\\.\\d+\\.\\d+:80");
    assertThat(r.err()).contains("no Docker engine here: /nonexistent/docker.sock does not exist");
  }
}
