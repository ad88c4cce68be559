package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.CaptureSettings;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.HttpExchange;
import dev.porthole.capture.OwnRecords;
import dev.porthole.capture.PcapSegments;
import dev.porthole.capture.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A recording proxy splices the large bodies of a keep-alive connection and still records every
 * request: the rest of a body of known length is spliced with an exact byte count, then the link
 * comes back to the pipeline and the next message is decoded.
 */
@Timeout(120)
class SplicedHttpRecordingTest {
  static final int BIG = 3 * 1024 * 1024 + 17;
  static final int SMALL = 100;

  @org.junit.jupiter.api.io.TempDir Path dir;
  static ProxyEngine engine;
  static CaptureRecorder recorder;
  static KeepAliveHttp server;
  static final BlockingQueue<HttpExchange> requests = new LinkedBlockingQueue<>();
  static final BlockingQueue<ConnectionRecord> records = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws IOException {
    engine = new ProxyEngine();
    recorder = new CaptureRecorder(CaptureSettings.defaults());
    recorder.addListener(
        new CaptureListener() {
          @Override
          public void request(Request request) {
            requests.add(request.exchange());
          }

          @Override
          public void connection(ConnectionRecord record) {
            records.add(record);
          }
        });
    engine.recorder(recorder);
    server = new KeepAliveHttp();
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    engine.close();
    recorder.close();
  }

  /** One request of the run: its body, what it asks back, and how either is framed. */
  record Ask(String method, int requestSize, boolean chunkedRequest, int responseSize,
      boolean chunkedResponse, long seed) {
    String target() {
      return "/data?size=" + responseSize + "&seed=" + seed + (chunkedResponse ? "&chunked" : "");
    }
  }

  @Test
  void everyRequestOfAKeepAliveConnectionIsRecordedWhileItsBigBodiesAreSpliced() throws Exception {
    List<Ask> asks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      asks.add(new Ask("POST", BIG, i % 3 == 2, SMALL, false, 10 + i));
      asks.add(new Ask("GET", 0, false, BIG, i % 2 == 1, 20 + i));
      asks.add(new Ask("POST", SMALL, i % 2 == 0, SMALL, i % 2 == 0, 30 + i));
    }
    long up = 0;
    long down = 0;
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (TcpProxy proxy =
            (TcpProxy) engine.start(
                ProxyOptions.tcp("spliced-http", TcpProxyTest.loopback0(), server.address()));
        Socket s = TcpProxyTest.connect(proxy)) {
      // Only this client's record counts: another process may connect to the listener too.
      String client = OwnRecords.key(s);
      InputStream in = new BufferedInputStream(new TeeInputStream(s.getInputStream(), received));
      OutputStream out =
          new BufferedOutputStream(new TeeOutputStream(s.getOutputStream(), sent), 64 * 1024);
      for (Ask a : asks) {
        up += send(out, a);
        KeepAliveHttp.Message m = KeepAliveHttp.Message.read(in);
        assertThat(m).as(a.target()).isNotNull();
        assertThat(m.headers().get("x-got"))
            .as("what the server got for %s", a)
            .isEqualTo(a.requestSize() + " " + KeepAliveHttp.sha(a.seed() + 100, a.requestSize()));
        assertThat(m.length()).isEqualTo(a.responseSize());
        assertThat(m.sha()).as("the response to %s", a)
            .isEqualTo(KeepAliveHttp.sha(a.seed(), a.responseSize()));
        down += m.length();
      }
      List<HttpExchange> got = new ArrayList<>();
      for (int i = 0; i < asks.size(); i++) {
        HttpExchange x = requests.poll(20, TimeUnit.SECONDS);
        assertThat(x).as("request %d of %d recorded", i + 1, asks.size()).isNotNull();
        got.add(x);
      }
      int limit = CaptureSettings.DEFAULT_BODY_LIMIT;
      for (int i = 0; i < asks.size(); i++) {
        Ask a = asks.get(i);
        HttpExchange x = got.get(i);
        assertThat(x.method() + " " + x.target()).isEqualTo(a.method() + " " + a.target());
        assertThat(x.status()).isEqualTo(200);
        assertThat(x.requestBodySize()).as("request body of %s", a).isEqualTo(a.requestSize());
        assertThat(x.responseBodySize()).as("response body of %s", a).isEqualTo(a.responseSize());
        // The preview is the body's first bytes up to the limit, spliced or not.
        int preview = Math.min(limit, a.responseSize());
        assertThat(Arrays.equals(x.responseBody(), KeepAliveHttp.bytes(a.seed(), preview)))
            .as("response preview of %s", a)
            .isTrue();
        assertThat(x.requestBody()).hasSize(Math.min(limit, a.requestSize()));
      }
      assertThat(proxy.bodySplices()).as("bodies spliced").isGreaterThan(0);
      s.close();
      ConnectionRecord r = OwnRecords.next(records, client, 20);
      assertThat(r.decodingStopped()).isNull();
      assertThat(r.exchangesSeen()).isEqualTo(asks.size());
      assertThat(r.kind()).isEqualTo("http");
      assertThat(r.complete()).isFalse(); // spliced bytes are not kept
      assertThat(r.bytesDown()).isGreaterThan(down);
      assertThat(r.bytesUp()).isEqualTo(up);
      assertThat(r.bytesDown()).isEqualTo(received.size());
      pcapHasTheBytesSentAtTheirTrueOffsets(r, sent.toByteArray(), received.toByteArray());
    }
  }

  @Test
  void aToxicArrivingMidBodyTakesTheRestThroughThePipelineAndDecodingGoesOn() throws Exception {
    int size = 48 * 1024 * 1024;
    List<ToxicSpec> latency =
        List.of(
            ToxicSpec.of("lat", "latency", Direction.DOWNSTREAM, java.util.Map.of("latency", 1L)));
    requests.clear();
    records.clear();
    try (TcpProxy proxy =
            (TcpProxy) engine.start(
                ProxyOptions.tcp("spliced-toxic", TcpProxyTest.loopback0(), server.address()));
        Socket s = TcpProxyTest.connect(proxy)) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      Ask big = new Ask("GET", 0, false, size, false, 41);
      send(out, big);
      // Read the head by hand, then the body while watching for the splice to start.
      String status = readLine(in);
      assertThat(status).startsWith("HTTP/1.1 200");
      for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
        // Content-Length and X-Got: the size is known.
      }
      KeepAliveHttp.Digest d = new KeepAliveHttp.Digest();
      byte[] buf = new byte[64 * 1024];
      boolean toxic = false;
      boolean splicedSeen = false;
      for (long left = size; left > 0; ) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        assertThat(n).isPositive();
        d.write(buf, 0, n);
        left -= n;
        splicedSeen |= proxy.splicedLinks() > 0;
        if (!toxic && splicedSeen && left < size / 2) {
          proxy.toxics(latency); // the splice stops mid-body; the rest goes through the pipeline
          toxic = true;
        }
      }
      assertThat(d.hex()).isEqualTo(KeepAliveHttp.sha(41, size));
      proxy.toxics(List.of());
      Ask small = new Ask("POST", SMALL, false, SMALL, false, 42);
      send(out, small);
      KeepAliveHttp.Message m = KeepAliveHttp.Message.read(in);
      assertThat(m.sha()).isEqualTo(KeepAliveHttp.sha(42, SMALL));
      HttpExchange first = requests.poll(20, TimeUnit.SECONDS);
      HttpExchange second = requests.poll(20, TimeUnit.SECONDS);
      assertThat(first).isNotNull();
      assertThat(second).isNotNull();
      assertThat(first.responseBodySize()).isEqualTo(size);
      assertThat(second.target()).isEqualTo(small.target());
      assertThat(second.requestBodySize()).isEqualTo(SMALL);
      assertThat(second.responseBodySize()).isEqualTo(SMALL);
      assertThat(toxic).as("the toxic arrived while the body was spliced").isTrue();
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      assertThat(c).isNotNegative();
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  /** Exports the record as pcap: tshark sees gaps, and every segment holds the true bytes. */
  private void pcapHasTheBytesSentAtTheirTrueOffsets(ConnectionRecord r, byte[] up, byte[] down)
      throws Exception {
    Path pcap = dir.resolve("spliced-http.pcap");
    try (PcapWriter w = new PcapWriter(Files.newOutputStream(pcap))) {
      w.write(r);
    }
    int port = Integer.parseInt(r.listen().substring(r.listen().lastIndexOf(':') + 1));
    PcapSegments p = PcapSegments.read(pcap, port);
    assertThat(p.gaps()).as("gaps tshark flags").isPositive();
    assertThat(p.firstWrong(true, up)).as("a client segment off its offset").isNull();
    assertThat(p.firstWrong(false, down)).as("a server segment off its offset").isNull();
    assertThat(p.bytes(true) + p.bytes(false)).isEqualTo(r.keptBytes());
  }

  /** Copies what is read to {@code copy}. */
  static final class TeeInputStream extends java.io.FilterInputStream {
    private final ByteArrayOutputStream copy;

    TeeInputStream(InputStream in, ByteArrayOutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }
  }

  /** Copies what is written to {@code copy}. */
  static final class TeeOutputStream extends java.io.FilterOutputStream {
    private final ByteArrayOutputStream copy;

    TeeOutputStream(OutputStream out, ByteArrayOutputStream copy) {
      super(out);
      this.copy = copy;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      copy.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      copy.write(b);
    }
  }

  /** Sends one request; returns its bytes on the wire. */
  private static long send(OutputStream out, Ask a) throws IOException {
    StringBuilder head = new StringBuilder(a.method() + " " + a.target() + " HTTP/1.1\r\n");
    head.append("Host: test\r\n");
    if (a.chunkedRequest()) {
      head.append("Transfer-Encoding: chunked\r\n\r\n")
          .append(Long.toHexString(a.requestSize())).append("\r\n");
    } else if (a.requestSize() > 0 || a.method().equals("POST")) {
      head.append("Content-Length: ").append(a.requestSize()).append("\r\n\r\n");
    } else {
      head.append("\r\n");
    }
    byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
    out.write(h);
    KeepAliveHttp.write(out, a.seed() + 100, a.requestSize());
    byte[] tail = (a.chunkedRequest() ? "\r\n0\r\n\r\n" : "").getBytes(StandardCharsets.US_ASCII);
    out.write(tail);
    out.flush();
    return h.length + a.requestSize() + tail.length;
  }
}
