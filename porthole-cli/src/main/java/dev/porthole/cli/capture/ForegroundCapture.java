package dev.porthole.cli.capture;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.CaptureRecorder;
import dev.porthole.capture.CaptureSettings;
import dev.porthole.capture.LivePcap;
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
 * request and per WebSocket frame (as {@code porthole tail} prints them), with {@code --pcap
 * FILE|-} every packet written to a pcap stream as it passes ({@link LivePcap}, flushed after each
 * chunk).
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
  private LivePcap pcap;

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
        capture.pcap = new LivePcap(new PcapWriter(stream), capture::pcapFailed);
      } catch (IOException e) {
        recorder.close();
        throw CliException.failure("--pcap " + pcap + ": cannot write: " + e.getMessage());
      }
    }
    recorder.addListener(capture);
    if (capture.pcap != null) {
      recorder.addListener(capture.pcap);
    }
    engine.recorder(recorder);
    return capture;
  }

  @Override
  public void request(Request r) {
    if (http) {
      print(CaptureFeed.request(0, r));
    }
  }

  @Override
  public void frame(Frame f) {
    if (http) {
      print(CaptureFeed.frame(0, f));
    }
  }

  private void print(CaptureFeed.Event e) {
    try {
      out.println(json ? LINES.writeValueAsString(e) : TrafficLine.format(e, terminal));
    } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
    out.flush();
  }

  /** Says once that the pcap stopped (a closed pipe: wireshark quit); proxying carries on. */
  private void pcapFailed(IOException e) {
    synchronized (err) {
      err.println("porthole proxy: --pcap stopped: " + e.getMessage());
      err.flush();
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
