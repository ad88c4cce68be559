package dev.porthole.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a pcap's TCP data segments with tshark: for each, who sent it, its relative sequence
 * number (1 = the first byte of that side) and its payload; and the segments tshark flags as
 * following a gap ("previous segment not captured").
 */
public record PcapSegments(List<Segment> segments, int gaps) {
  /**
   * One data segment.
   *
   * @param fromClient whether the client sent it
   * @param offset the stream offset of its first byte (relative sequence number - 1)
   * @param data its payload
   */
  public record Segment(boolean fromClient, long offset, byte[] data) {}

  /** Reads {@code pcap}; the client is the side whose destination port is {@code serverPort}. */
  public static PcapSegments read(Path pcap, int serverPort) throws Exception {
    List<Segment> segments = new ArrayList<>();
    for (String line :
        CaptureExportTest.run(
            "tshark", "-r", pcap.toString(), "-Y", "tcp.len > 0", "-T", "fields",
            "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.payload")) {
      String[] f = line.split("\t");
      segments.add(
          new Segment(
              Integer.parseInt(f[0]) == serverPort,
              Long.parseLong(f[1]) - 1,
              HexFormat.of().parseHex(f[2].replace(":", ""))));
    }
    int gaps =
        CaptureExportTest.run(
                "tshark", "-r", pcap.toString(), "-Y", "tcp.analysis.lost_segment", "-T", "fields",
                "-e", "frame.number")
            .size();
    return new PcapSegments(segments, gaps);
  }

  /** Returns the payload bytes of one side, in order. */
  public long bytes(boolean fromClient) {
    return segments.stream().filter(s -> s.fromClient() == fromClient)
        .mapToLong(s -> s.data().length).sum();
  }

  /** Returns the first segment whose bytes differ from {@code sent} at its offset, or null. */
  public Segment firstWrong(boolean fromClient, byte[] sent) {
    for (Segment s : segments) {
      if (s.fromClient() != fromClient) {
        continue;
      }
      long end = s.offset() + s.data().length;
      if (s.offset() < 0 || end > sent.length
          || !Arrays.equals(s.data(), 0, s.data().length, sent, (int) s.offset(), (int) end)) {
        return s;
      }
    }
    return null;
  }
}
