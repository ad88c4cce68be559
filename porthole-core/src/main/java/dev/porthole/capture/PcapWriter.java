package dev.porthole.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    Flow f = new Flow(r);
    if (f.client == null || f.server == null) {
      return;
    }
    long t0 = r.openedMillis() * 1000;
    f.packet(t0, Side.CLIENT, Packets.SYN, null, 0, 0);
    f.ack[Side.CLIENT.ordinal()]++;
    f.packet(t0, Side.SERVER, Packets.SYN | Packets.ACK, null, 0, 0);
    f.ack[Side.SERVER.ordinal()]++;
    f.packet(t0, Side.CLIENT, Packets.ACK, null, 0, 0);
    long last = t0;
    for (Chunk c : r.chunks()) {
      last = Math.max(last, t0 + c.micros());
      for (int off = 0; off < c.data().length; off += MSS) {
        int len = Math.min(MSS, c.data().length - off);
        f.packet(last, c.side(), Packets.ACK | Packets.PSH, c.data(), off, len);
        f.ack[c.side().ordinal()] += len;
      }
    }
    long end = Math.max(last, r.closedMillis() * 1000);
    switch (r.end()) {
      case RESET_BY_SERVER -> f.packet(end, Side.SERVER, Packets.RST | Packets.ACK, null, 0, 0);
      case RESET_BY_CLIENT, REFUSED, DIAL_FAILED ->
          f.packet(end, Side.CLIENT, Packets.RST | Packets.ACK, null, 0, 0);
      default -> {
        f.packet(end, Side.CLIENT, Packets.FIN | Packets.ACK, null, 0, 0);
        f.ack[Side.CLIENT.ordinal()]++;
        f.packet(end, Side.SERVER, Packets.FIN | Packets.ACK, null, 0, 0);
        f.ack[Side.SERVER.ordinal()]++;
        f.packet(end, Side.CLIENT, Packets.ACK, null, 0, 0);
      }
    }
    out.flush();
  }

  /** Returns one connection's addresses and sequence state while its packets are written. */
  private final class Flow {
    final InetAddress client;
    final InetAddress server;
    final int clientPort;
    final int serverPort;
    // ack[side] = the next sequence number of side's stream (what the other side acknowledges).
    final long[] ack = new long[2];

    Flow(ConnectionRecord r) {
      client = host(r.client());
      server = host(r.listen());
      clientPort = port(r.client());
      serverPort = port(r.listen());
      ack[0] = 1_000_000L * (r.id() % 4000) + 1;
      ack[1] = 3_000_000_000L - 1_000_000L * (r.id() % 1000);
    }

    void packet(long micros, Side side, int flags, byte[] data, int off, int len)
        throws IOException {
      boolean fromClient = side == Side.CLIENT;
      long seq = ack[side.ordinal()];
      long acked = (flags & Packets.ACK) != 0 ? ack[side.other().ordinal()] : 0;
      byte[] frame =
          Packets.tcp(
              fromClient ? client : server,
              fromClient ? clientPort : serverPort,
              fromClient ? server : client,
              fromClient ? serverPort : clientPort,
              seq,
              acked,
              flags,
              data,
              off,
              len);
      ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
      h.putInt(frame.length).putInt(frame.length);
      out.write(h.array());
      out.write(frame);
    }
  }

  private static InetAddress host(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String h = address.substring(0, colon).replace("[", "").replace("]", "");
    if (!h.matches("[0-9a-fA-F.:%]+")) {
      return null; // only literals: never a lookup here
    }
    try {
      return InetAddress.getByName(h);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
