package dev.porthole.cli.capture;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.CaptureSettings;
import dev.porthole.capture.ConnectionRecord;
import dev.porthole.capture.PcapWriter;
import dev.porthole.cli.CliException;
import dev.porthole.cli.output.Terminal;
import dev.porthole.proxy.ProxyEngine;
import dev.porthole.text.Numbers;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * Returns the recording of a foreground {@code porthole proxy}: with {@code --http} a line per
 * request (as {@code porthole tail} prints them), with {@code --pcap FILE|-} each connection's
 * packets appended to a pcap stream as it closes.
 */
public final class ForegroundCapture implements CaptureListener, AutoCloseable {
  private static final com.fasterxml.jackson.databind.ObjectMapper LINES =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final CaptureRecorder recorder;
  private final PrintWriter out;
  private final Terminal terminal;
  private final boolean http;
  private final boolean json;
  private final PrintWriter err;
  private PcapWriter pcap;

  private ForegroundCapture(
      CaptureRecorder recorder,
      boolean http,
      boolean json,
      PrintWriter out,
      PrintWriter err,
      Terminal terminal) {
    this.recorder = recorder;
    this.http = http;
    this.json = json;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Returns the capture installed on {@code engine}, or null when neither {@code http} nor {@code
   * pcap} asks for one. Bad flags are usage errors; an unwritable pcap file a failure (exit 3).
   */
  public static ForegroundCapture start(
      ProxyEngine engine,
      boolean http,
      String pcap,
      String bodyLimit,
      boolean json,
      PrintWriter out,
      PrintWriter err,
      Terminal terminal) {
    int limit = Numbers.parseInt(bodyLimit, "--body-limit", 0, 64 * 1024 * 1024);
    if (!http && pcap == null) {
      return null;
    }
    CaptureRecorder recorder = new CaptureRecorder(CaptureSettings.defaults().withBodyLimit(limit));
    ForegroundCapture capture = new ForegroundCapture(recorder, http, json, out, err, terminal);
    if (pcap != null) {
      try {
        OutputStream stream = pcap.equals("-") ? System.out : new FileOutputStream(pcap);
        capture.pcap = new PcapWriter(stream);
      } catch (IOException e) {
        recorder.close();
        throw CliException.failure("--pcap " + pcap + ": cannot write: " + e.getMessage());
      }
    }
    recorder.addListener(capture);
    engine.recorder(recorder);
    return capture;
  }

  @Override
  public void request(Request r) {
    if (!http) {
      return;
    }
    CaptureFeed.Event e = CaptureFeed.request(0, r);
    try {
      out.println(json ? LINES.writeValueAsString(e) : TrafficLine.format(e, terminal));
    } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
    out.flush();
  }

  @Override
  public synchronized void connection(ConnectionRecord record) {
    if (pcap == null) {
      return;
    }
    try {
      pcap.write(record);
    } catch (IOException e) {
      // A closed pipe (wireshark quit): say so once and keep proxying without the pcap.
      err.println("porthole proxy: --pcap stopped: " + e.getMessage());
      err.flush();
      pcap = null;
    }
  }

  @Override
  public synchronized void close() {
    recorder.close();
    if (pcap != null) {
      try {
        pcap.close();
      } catch (IOException e) {
        err.println("porthole proxy: --pcap: " + e.getMessage());
        err.flush();
      }
    }
  }
}
