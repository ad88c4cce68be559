package dev.porthole.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes connection records as a pcap file (Ethernet link type) of the client's leg, client to
 * proxy: a synthesized handshake, the recorded chunks as segments of at most {@link #MSS} bytes
 * with true sequence and acknowledgement numbers, and a FIN each way or the RST of the side that
 * reset. As in Netty's {@code PcapWriteHandler}, nothing is captured from the wire: the packets are
 * made from what the proxy carried, so "Follow TCP stream" gives back exactly those bytes.
 *
 * <pre>
 * try (PcapWriter pcap = new PcapWriter(Files.newOutputStream(file))) {
 *   records.forEach(pcap::write);
 * }
 * </pre>
 */
public final class PcapWriter implements AutoCloseable {
  /** Returns the largest payload of one synthesized segment. */
  public static final int MSS = 1460;

  private final OutputStream out;

  /** Returns a writer that wrote the pcap global header to {@code out}. */
  public PcapWriter(OutputStream out) throws IOException {
    this.out = out;
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    h.putInt(262_144).putInt(1); // snap length, LINKTYPE_ETHERNET
    out.write(h.array());
  }

  /** Writes one TCP connection's packets (UDP records and unparseable addresses are skipped). */
  public void write(ConnectionRecord r) throws IOException {
    if (!"tcp".equals(r.protocol())) {
      return;
    }
    PcapFlow f = PcapFlow.of(this, r.id(), r.client(), r.listen());
    if (f == null) {
      return;
    }
    long t0 = r.openedMillis() * 1000;
    f.handshake(t0);
    long last = t0;
    for (Chunk c : r.chunks()) {
      last = Math.max(last, t0 + c.micros());
      f.data(last, c.side(), c.data(), c.unseenBefore());
    }
    // An incomplete record's FINs carry the true sequence numbers: the missing bytes show as a gap.
    long up = r.complete() ? -1 : r.bytesUp();
    long down = r.complete() ? -1 : r.bytesDown();
    f.end(Math.max(last, r.closedMillis() * 1000), r.end(), up, down);
    out.flush();
  }

  /** Writes one frame's record header and bytes, stamped {@code micros} (epoch microseconds). */
  void frame(long micros, byte[] frame) throws IOException {
    ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
    h.putInt(frame.length).putInt(frame.length);
    out.write(h.array());
    out.write(frame);
  }

  /** Flushes what was written to the underlying stream. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
