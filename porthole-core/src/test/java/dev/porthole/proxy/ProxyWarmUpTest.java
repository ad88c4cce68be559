package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.CaptureSettings;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.Recorder;
import dev.porthole.capture.Tap;
import dev.porthole.testsupport.EchoServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The warm-up sends real connections through a throwaway proxy, and leaves no trace a user sees. */
@Timeout(60)
class ProxyWarmUpTest {
  ProxyEngine engine;
  final AtomicInteger recorded = new AtomicInteger();

  @BeforeEach
  void start() {
    engine = new ProxyEngine();
    Recorder counting =
        (proxy, id, protocol, client, listen, upstream) -> {
          recorded.incrementAndGet();
          return Tap.NONE;
        };
    engine.recorder(counting);
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void carriesEveryConnectionItWasAskedFor() {
    ProxyWarmUp.Result r = ProxyWarmUp.run(engine, 25, 30_000);

    assertThat(r.connections()).isEqualTo(25);
  }

  @Test
  void aRecordingEngineGetsItsRecordingPathWarmedWithoutARecordOfTheWarmUp() {
    try (CaptureRecorder real = new CaptureRecorder(CaptureSettings.defaults())) {
      AtomicInteger stored = new AtomicInteger();
      real.addListener(
          new CaptureListener() {
            @Override
            public void connection(ConnectionRecord record) {
              stored.incrementAndGet();
            }
          });
      engine.recorder(real);

      ProxyWarmUp.Result r = ProxyWarmUp.run(engine, 20, 30_000);

      assertThat(r.connections()).isEqualTo(20);
      assertThat(r.recorded()).isEqualTo(20); // each through the warm-up's own recorder
      real.sync();
      assertThat(stored).hasValue(0);
    }
  }

  @Test
  void isNotRecordedAndLeavesNothingOpen() throws Exception {
    ProxyWarmUp.run(engine, 5, 30_000); // loads what the warm-up itself opens
    int fdsBefore = openFiles();

    ProxyWarmUp.Result r = ProxyWarmUp.run(engine, 50, 30_000);

    assertThat(r.connections()).isEqualTo(50);
    assertThat(recorded).hasValue(0);
    // The echo threads close their sockets just after the client saw the end; allow them that.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (openFiles() > fdsBefore + 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(openFiles()).isLessThanOrEqualTo(fdsBefore + 2);
    // The recorder still sees the connections of a real proxy.
    try (EchoServer echo = new EchoServer();
        RunningProxy proxy =
            engine.start(
                ProxyOptions.tcp(
                    "real", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    echo.address()));
        Socket s = new Socket()) {
      s.connect(proxy.localAddress(), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().readNBytes(2)).isEqualTo("hi".getBytes());
    }
    assertThat(recorded).hasValue(1);
  }

  @Test
  void sendsChunksThroughADelayingToxicWithoutARecordOfThem() {
    ProxyWarmUp.Result r = ProxyWarmUp.run(engine, 5, 30_000);

    // Each ping-pong counts a chunk per direction, each held 1 ms by the latency toxic.
    assertThat(r.held()).isPositive().isEven();
    assertThat(recorded).hasValue(0); // the engine's recorder never sees the held phase either
  }

  @Test
  void stopsAtItsBudget() {
    ProxyWarmUp.Result r = ProxyWarmUp.run(engine, ProxyWarmUp.CONNECTIONS, 0);

    assertThat(r.connections()).isZero();
    assertThat(r.held()).isZero();
  }

  @Test
  void runsOffTheCallersThreadAndCanBeTurnedOff() throws Exception {
    ProxyWarmUp.Result r = ProxyWarmUp.start(engine).get(30, TimeUnit.SECONDS);
    assertThat(r.connections()).isPositive();

    System.setProperty("porthole.warmup", "false");
    try {
      assertThat(ProxyWarmUp.start(engine).isDone()).isTrue();
      assertThat(ProxyWarmUp.start(engine).get().connections()).isZero();
    } finally {
      System.clearProperty("porthole.warmup");
    }
  }

  @Test
  void givesUpQuietlyOnAClosedEngine() {
    engine.close();

    assertThat(ProxyWarmUp.run(engine, 5, 30_000).connections()).isZero();
  }

  private static int openFiles() throws IOException {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? 0 : fds.length;
  }
}
