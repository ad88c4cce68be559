package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HAR and pcap from real clients (curl, Java HttpClient) and real servers (python, the JDK's). */
@Timeout(120)
class CaptureExportTest {
  static ProxyEngine engine;
  static CaptureRecorder recorder;
  static Collected collected;
  static Process python;
  static int pythonPort;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    engine = new ProxyEngine();
    recorder = new CaptureRecorder(CaptureSettings.defaults());
    collected = new Collected();
    recorder.addListener(collected);
    engine.recorder(recorder);
    python =
        new ProcessBuilder("python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "0")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("port (\\d+)").matcher(out.readLine());
    assertThat(m.find()).isTrue();
    pythonPort = Integer.parseInt(m.group(1));
    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
  }

  @AfterAll
  static void stop() throws Exception {
    python.destroy();
    python.waitFor(5, TimeUnit.SECONDS);
    engine.close();
    recorder.close();
  }

  static RunningProxy proxyTo(String name, String upstream) throws IOException {
    return engine.start(
        ProxyOptions.tcp(
            name, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), upstream));
  }

  static List<String> run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(lines::add);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + lines).isZero();
    // tshark says this on stderr whenever it runs as root (CI containers): not about the file.
    lines.removeIf(l -> l.startsWith("Running as user \"root\""));
    return lines;
  }

  @Test
  void harEntriesMatchTheRequestsMadeAndValidateAgainstTheHar12Schema() throws Exception {
    collected.records.clear();
    List<ConnectionRecord> records = new ArrayList<>();
    try (RunningProxy proxy = proxyTo("py", "127.0.0.1:" + pythonPort);
        TestHttpServer jdk = new TestHttpServer();
        RunningProxy proxy2 = proxyTo("jdk", jdk.address())) {
      String base = "http://127.0.0.1:" + proxy.localAddress().getPort();
      // curl with two URLs reuses one keep-alive connection (python answers HTTP/1.0: closes).
      run("curl", "-sS", "-o", "/dev/null", base + "/", "-o", "/dev/null", base + "/nope?x=1");
      records.add(collected.nextRecord());
      records.add(collected.nextRecord());
      try (HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
        String jbase = "http://127.0.0.1:" + proxy2.localAddress().getPort();
        for (String path : List.of("/text", "/gzip", "/chunked")) {
          client.send(
              HttpRequest.newBuilder(URI.create(jbase + path)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
        }
      }
      proxy2.closeConnections();
      records.add(collected.nextRecord());
    }
    Path har = dir.resolve("out.har");
    try (var out = Files.newOutputStream(har)) {
      new HarWriter("test").write(records, out);
    }
    JsonNode doc = new ObjectMapper().readTree(har.toFile());
    JsonSchema schema;
    try (InputStream s = getClass().getResourceAsStream("/har/har-1.2.schema.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(s);
    }
    Set<ValidationMessage> errors = schema.validate(doc);
    assertThat(errors).isEmpty();
    JsonNode entries = doc.path("log").path("entries");
    assertThat(entries).hasSize(5);
    List<String> lines = new ArrayList<>();
    for (JsonNode e : entries) {
      lines.add(
          e.at("/request/method").asText()
              + " "
              + e.at("/request/url").asText().replaceAll(":\\d+", ":P")
              + " "
              + e.at("/response/status").asInt());
    }
    assertThat(lines)
        .containsExactly(
            "GET http://127.0.0.1:P/ 200",
            "GET http://127.0.0.1:P/nope?x=1 404",
            "GET http://127.0.0.1:P/text 200",
            "GET http://127.0.0.1:P/gzip 200",
            "GET http://127.0.0.1:P/chunked 200");
    assertThat(entries.get(2).at("/response/bodySize").asLong())
        .isEqualTo(TestHttpServer.TEXT.length());
    assertThat(entries.get(3).at("/response/content/text").asText())
        .isEqualTo(TestHttpServer.TEXT.repeat(50));
    assertThat(entries.get(4).at("/response/bodySize").asLong())
        .isEqualTo(TestHttpServer.TEXT.length() * 100L);
    assertThat(entries.get(1).at("/request/queryString/0/name").asText()).isEqualTo("x");
  }

  @Test
  void tsharkReadsThePcapDecodesHttpAndFollowsTheExactBytes() throws Exception {
    collected.records.clear();
    String request = "GET /pcap-check HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    byte[] response;
    // Only this client's record counts: another process may connect to the listener too.
    String client;
    try (RunningProxy proxy = proxyTo("py", "127.0.0.1:" + pythonPort);
        Socket s = new Socket()) {
      s.connect(proxy.localAddress(), 5000);
      s.setSoTimeout(10_000);
      client = OwnRecords.key(s);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      response = s.getInputStream().readAllBytes();
    }
    ConnectionRecord record = collected.nextRecord(client);
    Path pcap = dir.resolve("out.pcap");
    try (PcapWriter w = new PcapWriter(Files.newOutputStream(pcap))) {
      w.write(record);
    }
    String port = record.listen().substring(record.listen().lastIndexOf(':') + 1);
    List<String> uris =
        run(
            "tshark",
            "-r",
            pcap.toString(),
            "-d",
            "tcp.port==" + port + ",http",
            "-Y",
            "http.request",
            "-T",
            "fields",
            "-e",
            "http.request.uri");
    assertThat(uris).containsExactly("/pcap-check");
    List<String> status =
        run(
            "tshark",
            "-r",
            pcap.toString(),
            "-d",
            "tcp.port==" + port + ",http",
            "-Y",
            "http.response",
            "-T",
            "fields",
            "-e",
            "http.response.code");
    assertThat(status).containsExactly("404");
    List<String> follow = run("tshark", "-r", pcap.toString(), "-q", "-z", "follow,tcp,raw,0");
    ByteArrayOutputStream up = new ByteArrayOutputStream();
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    for (String line : follow) {
      if (line.matches("\t?[0-9a-f]+")) {
        (line.startsWith("\t") ? down : up).writeBytes(HexFormat.of().parseHex(line.strip()));
      }
    }
    assertThat(up.toString(StandardCharsets.US_ASCII)).isEqualTo(request);
    assertThat(down.toByteArray()).isEqualTo(response);
    List<String> expert = run("tshark", "-r", pcap.toString(), "-q", "-z", "expert,warn");
    assertThat(String.join("\n", expert)).doesNotContain("Warns", "Errors");
  }
}
