package dev.porthole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.porthole.watch.PolicyFile;
import dev.porthole.watch.PolicyRule;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Docker engine (the run's own, see {@link TestDockerEngine}) with a busybox httpd container
 * published on 127.0.0.1 and one without {@code -p}: porthole names the container behind
 * docker-proxy, and says why when the engine cannot be asked.
 */
@Timeout(180)
@ExtendWith(DockerEngineExtension.class)
class ContainerOriginTest {
  private static TestDockerEngine engine;
  private static int port;
  private static int quietPort;
  private static String webId;

  @BeforeAll
  static void startContainers(TestDockerEngine started) throws Exception {
    engine = started;
    try (ServerSocket s = new ServerSocket(0);
        ServerSocket q = new ServerSocket(0)) {
      port = s.getLocalPort();
      quietPort = q.getLocalPort(); // free here, so a check of it here is refused
    }
    webId =
        engine.docker(
            "run",
            "-d",
            "--name",
            "attr-web",
            "-l",
            "com.docker.compose.project=shop",
            "-l",
            "com.docker.compose.service=web",
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
    engine.docker(
        "run",
        "-d",
        "--name",
        "attr-quiet",
        TestDockerEngine.IMAGE,
        "/bin/busybox",
        "httpd",
        "-f",
        "-p",
        Integer.toString(quietPort),
        "-h",
        "/");
  }

  @AfterAll
  static void removeContainers() throws Exception {
    engine.docker("rm", "-f", "attr-web", "attr-quiet");
  }

  @Test
  void thePublishedPortReallyReachesTheContainer() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/bin/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("server")).isEmpty(); // busybox httpd sends none
    assertThat(r.statusCode()).isBetween(200, 404);
  }

  @Test
  void portsJsonNamesTheContainerBehindDockerProxy() throws Exception {
    Run r =
        PortholeProcess.run(engine.socket(), "ports", "--port", Integer.toString(port), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode socket = new JsonMapper().readTree(r.out()).get("sockets").get(0);
    assertThat(socket.get("process").asText()).isEqualTo("docker-proxy");
    JsonNode origin = socket.get("origin");
    assertThat(origin.get("kind").asText()).isEqualTo("container");
    assertThat(origin.get("name").asText()).isEqualTo("attr-web");
    JsonNode details = origin.get("details");
    assertThat(details.get("id").asText()).isEqualTo(webId.substring(0, 12));
    assertThat(details.get("image").asText()).isEqualTo(TestDockerEngine.IMAGE);
    assertThat(details.get("composeProject").asText()).isEqualTo("shop");
    assertThat(details.get("composeService").asText()).isEqualTo("web");
    assertThat(details.get("containerPort").asText()).isEqualTo("80/tcp");
    assertThat(r.out()).doesNotContain("attr-quiet"); // not published: no docker-proxy

    Run plain =
        PortholeProcess.run(
            engine.socket(), "ports", "--port", Integer.toString(port), "--no-origins", "--json");
    JsonNode bare = new JsonMapper().readTree(plain.out()).get("sockets").get(0);
    assertThat(bare.get("process").asText()).isEqualTo("docker-proxy");
    assertThat(bare.path("origin").isNull() || bare.path("origin").isMissingNode()).isTrue();
  }

  @Test
  void allPublishedSaysThePortGoesThroughDockerProxy() throws Exception {
    Run r =
        PortholeProcess.run(
            engine.socket(),
            "ports",
            "--all-published",
            "--port",
            Integer.toString(port),
            "--json");
    JsonNode p = new JsonMapper().readTree(r.out()).get("published").get(0);
    assertThat(p.get("via").asText()).isEqualTo("docker-proxy");
    assertThat(p.get("origin").get("name").asText()).isEqualTo("attr-web");
    assertThat(p.get("pid").asInt()).isPositive();
  }

  @Test
  void policyInitExpectsTheContainerNotDockerProxy(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("policy.yaml");
    Run r = PortholeProcess.run(engine.socket(), "policy", "init", "-o", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    PolicyRule rule =
        PolicyFile.load(file).expected().stream()
            .filter(e -> e.port().equals(Integer.toString(port)))
            .findFirst()
            .orElseThrow();
    assertThat(rule.origin()).isEqualTo("docker");
    assertThat(rule.container()).isEqualTo("attr-web");
    assertThat(rule.image()).isEqualTo(TestDockerEngine.IMAGE);
    assertThat(rule.project()).isEqualTo("shop");
    assertThat(rule.process()).as("docker-proxy changes with every restart").isNull();
    assertThat(Files.readString(file))
        .contains(
            "  - port: "
                + port
                + "\n    protocol: tcp\n    origin: docker\n    container: \"attr-web\"\n"
                + "    image: \""
                + TestDockerEngine.IMAGE
                + "\"\n    project: \"shop\"\n    scope: loopback\n");
  }

  @Test
  void whoSaysWhichContainerAndPort() throws Exception {
    Run r = PortholeProcess.run(engine.socket(), "who", Integer.toString(port));
    assertThat(r.out())
        .startsWith(port + ": docker-proxy (PID ")
        .contains(
            "for container attr-web ("
                + TestDockerEngine.IMAGE
                + ", compose shop/web) port 80/tcp");
  }

  @Test
  void portsNamespacesListsTheUnpublishedContainersListener() throws Exception {
    Run r =
        PortholeProcess.run(
            engine.socket(),
            "ports",
            "--namespaces",
            "--port",
            Integer.toString(quietPort),
            "--json");
    JsonNode doc = new JsonMapper().readTree(r.out());
    assertThat(doc.get("sockets")).isEmpty();
    JsonNode inside = doc.get("namespaces").get(0);
    assertThat(inside.get("process").asText()).isEqualTo("busybox");
    assertThat(inside.get("namespace").asText()).startsWith("net:[");
    assertThat(inside.get("origin").get("kind").asText()).isEqualTo("container");
    assertThat(inside.get("origin").get("name").asText()).isEqualTo("attr-quiet");
    Run table =
        PortholeProcess.run(
            engine.socket(), "ports", "--namespaces", "--port", Integer.toString(quietPort));
    assertThat(table.out())
        .contains("Inside other network namespaces")
        .contains("container attr-quiet (" + TestDockerEngine.IMAGE + ")");
  }

  @Test
  void aFailingCheckSaysThePortListensInsideTheContainer() throws Exception {
    Run r = PortholeProcess.run(engine.socket(), "check", "127.0.0.1:" + quietPort);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            quietPort
                + " listens inside container attr-quiet's network namespace on ::; it is not"
                + " published.")
        .contains("[LISTENS_IN_OTHER_NAMESPACE]")
        .contains("docker run -p 127.0.0.1:" + quietPort + ":" + quietPort);
    Run published = PortholeProcess.run(engine.socket(), "check", "127.0.0.1:80");
    if (published.code() != 0) { // 80 here is free (nearly always): then it names the mapping
      assertThat(published.out()).contains("it is published on 127.0.0.1:" + port + ", not on 80");
    }
  }

  @Test
  void withoutAnEngineTheContainerIsNamedByAddressAndANoteSaysWhy() throws Exception {
    Path none = Path.of("/nonexistent/docker.sock");
    Run r = PortholeProcess.run(none, "who", Integer.toString(port));
    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("for container at 10\\.213\\.\\d+\\.\\d+ port 80/tcp");
    assertThat(r.err())
        .contains(
            "note: container names unknown: no Docker engine here: " + none + " does not exist");
  }
}
