package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.proxy.ProxyEngine;
import dev.porthole.proxy.ProxyOptions;
import dev.porthole.proxy.RunningProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A live pcap read by tshark while the proxy runs and the connection is still open. */
@Timeout(120)
class LivePcapTest {
  @TempDir Path dir;

  @Test
  void tsharkReadsThePacketsSoFarOfAFileStillBeingWritten() throws Exception {
    Path file = dir.resolve("live.pcap");
    List<IOException> failures = new ArrayList<>();
    Collected collected = new Collected();
    try (TestHttpServer http = new TestHttpServer();
        CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults());
        LivePcap live = new LivePcap(new PcapWriter(Files.newOutputStream(file)), failures::add);
        ProxyEngine engine = new ProxyEngine()) {
      recorder.addListener(live);
      recorder.addListener(collected);
      engine.recorder(recorder);
      RunningProxy proxy =
          engine.start(
              ProxyOptions.tcp(
                  "live",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                  http.address()));
      int port = proxy.localAddress().getPort();
      // Only this client's connection counts: another process may connect to the listener too.
      String client;
      try (Socket s = new Socket()) {
        s.connect(proxy.localAddress(), 5000);
        s.setSoTimeout(10_000);
        client = OwnRecords.key(s);
        exchange(s, "/text");
        recorder.sync();
        assertThat(uris(file, port)).containsExactly("/text");
        exchange(s, "/missing");
        recorder.sync();
        assertThat(uris(file, port)).containsExactly("/text", "/missing");
        // Still open: nothing written at close yet.
        assertThat(OwnRecords.of(collected.records, client)).isEmpty();
      }
      collected.nextRecord(client);
      recorder.sync();
      String clientPort = client.substring(client.lastIndexOf(':') + 1);
      List<String> fins =
          CaptureExportTest.run(
              "tshark",
              "-r",
              file.toString(),
              "-Y",
              "tcp.flags.fin==1 && tcp.port==" + clientPort,
              "-T",
              "fields",
              "-e",
              "tcp.srcport");
      assertThat(fins).hasSize(2);
      List<String> expert =
          CaptureExportTest.run(
              "tshark", "-r", file.toString(), "-q", "-z", "expert,warn,tcp.port==" + clientPort);
      assertThat(String.join("\n", expert)).doesNotContain("Warning");
    }
    assertThat(failures).isEmpty();
  }

  /** Sends one keep-alive GET and reads its fixed-length answer. */
  static void exchange(Socket s, String path) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    assertThat(m.find()).as(head.toString()).isTrue();
    in.readNBytes(Integer.parseInt(m.group(1)));
  }

  static List<String> uris(Path file, int port) throws Exception {
    return CaptureExportTest.run(
        "tshark",
        "-r",
        file.toString(),
        "-d",
        "tcp.port==" + port + ",http",
        "-Y",
        "http.request",
        "-T",
        "fields",
        "-e",
        "http.request.uri");
  }
}
