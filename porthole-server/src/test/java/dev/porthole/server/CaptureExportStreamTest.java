package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports through the API of a daemon whose 48 MiB heap is far smaller than the records it stores:
 * HAR, pcap and the records stream, and a failure mid-export aborts the download.
 */
@Timeout(300)
class CaptureExportStreamTest {
  private static final int RECORDS = 200; // about 512 KiB each as stored: 100+ MiB in all
  @TempDir static Path dir;
  static Process daemon;
  static String url;

  @BeforeAll
  static void start() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    daemon =
        new ProcessBuilder(
                java,
                "-Xmx48m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                SmallHeapDaemon.class.getName(),
                dir.resolve("data").toString(),
                Integer.toString(RECORDS))
            .redirectError(dir.resolve("daemon.err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
    url = out.readLine(); // bounded by the class timeout; null if it died
    assertThat(url).as(Files.readString(dir.resolve("daemon.err"))).startsWith("http://");
  }

  @AfterAll
  static void stop() throws Exception {
    if (daemon != null) {
      daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void harOfFarMoreThanTheHeapStreamsEveryEntryInOrder() throws Exception {
    Path har = download("/api/proxies/web/capture.har", "web.har");
    List<String> urls = new ArrayList<>();
    try (JsonParser p = new ObjectMapper().createParser(har.toFile())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("url")) {
          urls.add(p.nextTextValue());
        }
      }
    }
    assertThat(urls).hasSize(RECORDS);
    // Record j opened at t0 + (N - j) * 10 ms: started order is the reverse of ids.
    assertThat(urls.getFirst()).isEqualTo("http://x/upload/" + RECORDS);
    assertThat(urls.getLast()).isEqualTo("http://x/upload/1");
    assertThat(Files.size(har)).isGreaterThan(48L << 20); // more than the whole heap
    assertThat(daemon.isAlive()).isTrue();
  }

  @Test
  void harOfConnectionsThatAllOverlapStaysWithinTheHeap() throws Exception {
    // Every exchange starts after the last connection opened: all wait for the end at once,
    // more than the heap, so the writer must keep them beyond its budget on disk.
    Path har = download("/api/proxies/overlap/capture.har", "overlap.har");
    List<String> urls = new ArrayList<>();
    try (JsonParser p = new ObjectMapper().createParser(har.toFile())) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("url")) {
          urls.add(p.nextTextValue());
        }
      }
    }
    int n = SmallHeapDaemon.OVERLAPPING;
    assertThat(urls).hasSize(n);
    // Record j's request started at t0 + j ms + 1 h - j * 10 ms: the reverse of the ids.
    assertThat(urls.getFirst()).isEqualTo("http://x/upload/" + n);
    assertThat(urls.getLast()).isEqualTo("http://x/upload/1");
    assertThat(daemon.isAlive()).as("the daemon ran out of heap").isTrue();
    try (var left = Files.list(dir.resolve("data"))) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("run files are deleted")
          .noneMatch(f -> f.startsWith("porthole-har-"));
    }
  }

  @Test
  void pcapOfFarMoreThanTheHeapHasEveryConnection() throws Exception {
    Path pcap = download("/api/proxies/web/capture.pcap", "web.pcap");
    Process tshark =
        new ProcessBuilder(
                "tshark",
                "-r",
                pcap.toString(),
                "-Y",
                "tcp.flags.syn==1 && tcp.flags.ack==0",
                "-T",
                "fields",
                "-e",
                "tcp.stream")
            .redirectErrorStream(true)
            .start();
    String text = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tshark.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(tshark.exitValue()).as(text).isZero();
    assertThat(text.lines().filter(l -> l.matches("[0-9]+")).count()).as(text).isEqualTo(RECORDS);
    assertThat(daemon.isAlive()).isTrue();
  }

  @Test
  void theRecordsRouteStreamsItsJsonArray() throws Exception {
    Path json = download("/api/proxies/web/capture", "web.json");
    int records = 0;
    try (JsonParser p = new ObjectMapper().createParser(json.toFile())) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (p.nextToken() == JsonToken.START_OBJECT) {
        p.skipChildren();
        records++;
      }
    }
    assertThat(records).isEqualTo(RECORDS);
  }

  @Test
  void aFailureAfterTheResponseStartedAbortsTheDownload() throws Exception {
    // Four good records (1 MiB of HAR) leave first; the fifth cannot be read.
    assertThatThrownBy(() -> download("/api/proxies/broken/capture.har", "broken.har"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> download("/api/proxies/broken/capture.pcap", "broken.pcap"))
        .isInstanceOf(IOException.class);
    assertThat(daemon.isAlive()).isTrue();
    HttpResponse<String> again = get("/api/proxies/nope/capture.har");
    assertThat(again.statusCode()).isEqualTo(404);
  }

  private static Path download(String path, String name) throws Exception {
    Path file = dir.resolve(name);
    try (HttpClient client = client()) {
      HttpResponse<Path> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url + path))
                  .timeout(Duration.ofSeconds(120))
                  .build(),
              HttpResponse.BodyHandlers.ofFile(file));
      assertThat(r.statusCode()).isEqualTo(200);
    }
    return file;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = client()) {
      return client.send(
          HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
