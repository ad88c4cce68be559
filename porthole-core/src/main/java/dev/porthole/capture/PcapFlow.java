package dev.porthole.capture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Returns one TCP connection's synthesized packets as they are written to a {@link PcapWriter}: the
 * handshake, payload segments of at most {@link PcapWriter#MSS} bytes with true sequence and
 * acknowledgement numbers, and the FIN each way or the RST of the side that reset. The same flow
 * serves a whole record at once ({@link PcapWriter#write}) and a connection followed live ({@link
 * LivePcap}).
 */
final class PcapFlow {
  private final PcapWriter out;
  private final InetAddress client;
  private final InetAddress server;
  private final int clientPort;
  private final int serverPort;
  private final long[] initial = new long[2];
  // next[side] = the next sequence number of side's stream (what the other side acknowledges).
  private final long[] next = new long[2];
  private long last;

  private PcapFlow(PcapWriter out, long id, String client, String listen) {
    this.out = out;
    this.client = host(client);
    this.server = host(listen);
    this.clientPort = port(client);
    this.serverPort = port(listen);
    initial[0] = 1_000_000L * (id % 4000) + 1;
    initial[1] = 3_000_000_000L - 1_000_000L * (id % 1000);
    next[0] = initial[0];
    next[1] = initial[1];
  }

  /** Returns the flow of connection {@code id}, or null when an address is not a literal. */
  static PcapFlow of(PcapWriter out, long id, String client, String listen) {
    PcapFlow f = new PcapFlow(out, id, client, listen);
    return f.client == null || f.server == null ? null : f;
  }

  /** Writes the three-way handshake at {@code micros} (epoch microseconds). */
  void handshake(long micros) throws IOException {
    packet(micros, Side.CLIENT, Packets.SYN, null, 0, 0);
    next[Side.CLIENT.ordinal()]++;
    packet(micros, Side.SERVER, Packets.SYN | Packets.ACK, null, 0, 0);
    next[Side.SERVER.ordinal()]++;
    packet(micros, Side.CLIENT, Packets.ACK, null, 0, 0);
  }

  /**
   * Writes {@code data} sent by {@code side} as segments, after {@code unseen} bytes of that side
   * that were not captured: their sequence numbers are skipped, so tshark shows a gap ("previous
   * segment not captured") in place and the following bytes keep their true numbers.
   */
  void data(long micros, Side side, byte[] data, long unseen) throws IOException {
    next[side.ordinal()] += unseen;
    data(micros, side, data);
  }

  /** Writes {@code data} sent by {@code side} as segments. */
  void data(long micros, Side side, byte[] data) throws IOException {
    for (int off = 0; off < data.length; off += PcapWriter.MSS) {
      int len = Math.min(PcapWriter.MSS, data.length - off);
      packet(micros, side, Packets.ACK | Packets.PSH, data, off, len);
      next[side.ordinal()] += len;
    }
  }

  /**
   * Writes the end at {@code micros}. With {@code bytesUp}/{@code bytesDown} at least what was
   * written, the FINs carry the true sequence numbers, so bytes carried unseen (spliced) show as a
   * gap ("previous segment not captured") rather than vanish; -1 keeps what was written.
   */
  void end(long micros, EndReason end, long bytesUp, long bytesDown) throws IOException {
    skipTo(Side.CLIENT, bytesUp);
    skipTo(Side.SERVER, bytesDown);
    switch (end) {
      case RESET_BY_SERVER -> packet(micros, Side.SERVER, Packets.RST | Packets.ACK, null, 0, 0);
      case RESET_BY_CLIENT, REFUSED, DIAL_FAILED ->
          packet(micros, Side.CLIENT, Packets.RST | Packets.ACK, null, 0, 0);
      default -> {
        packet(micros, Side.CLIENT, Packets.FIN | Packets.ACK, null, 0, 0);
        next[Side.CLIENT.ordinal()]++;
        packet(micros, Side.SERVER, Packets.FIN | Packets.ACK, null, 0, 0);
        next[Side.SERVER.ordinal()]++;
        packet(micros, Side.CLIENT, Packets.ACK, null, 0, 0);
      }
    }
  }

  private void skipTo(Side side, long total) {
    int s = side.ordinal();
    if (total >= 0) {
      next[s] = Math.max(next[s], initial[s] + 1 + total);
    }
  }

  private void packet(long micros, Side side, int flags, byte[] data, int off, int len)
      throws IOException {
    micros = Math.max(micros, last); // a flow's packets never go back in time
    last = micros;
    boolean fromClient = side == Side.CLIENT;
    long seq = next[side.ordinal()];
    long acked = (flags & Packets.ACK) != 0 ? next[side.other().ordinal()] : 0;
    out.frame(
        micros,
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
            len));
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
    try {
      return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
