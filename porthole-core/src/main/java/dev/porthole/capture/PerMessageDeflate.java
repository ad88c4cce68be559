package dev.porthole.capture;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Returns the inflating half of a connection's {@code permessage-deflate} (RFC 7692), so compressed
 * WebSocket messages are previewed as their text: one raw-deflate {@link Inflater} per side, fed
 * every payload byte of a compressed message and the {@code 00 00 ff ff} the sender stripped at
 * its end. With context takeover (the default) a side's window carries over from message to
 * message, so nothing may be skipped; {@code server_no_context_takeover} / {@code
 * client_no_context_takeover} reset that side at each message. A stream that does not inflate is
 * previewed compressed from then on.
 */
final class PerMessageDeflate implements AutoCloseable {
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

  private final Inflater[] inflaters = {new Inflater(true), new Inflater(true)};
  private final boolean[] noContext = new boolean[2];
  private final boolean[] broken = new boolean[2];
  private final byte[] out = new byte[8192];

  private PerMessageDeflate(boolean clientNoContext, boolean serverNoContext) {
    noContext[Side.CLIENT.ordinal()] = clientNoContext;
    noContext[Side.SERVER.ordinal()] = serverNoContext;
  }

  /**
   * Returns the deflate state the 101's {@code Sec-WebSocket-Extensions} value agreed on, or null
   * when it agreed on none.
   */
  static PerMessageDeflate of(String extensions) {
    if (extensions == null) {
      return null;
    }
    for (String ext : extensions.split(",")) {
      String[] params = ext.toLowerCase(Locale.ROOT).split(";");
      if (params[0].trim().equals("permessage-deflate")) {
        boolean client = false;
        boolean server = false;
        for (String p : params) {
          client |= p.trim().equals("client_no_context_takeover");
          server |= p.trim().equals("server_no_context_takeover");
        }
        return new PerMessageDeflate(client, server);
      }
    }
    return null;
  }

  /** Starts a compressed message of {@code side}. */
  void begin(Side side) {
    Inflater inf = inflaters[side.ordinal()];
    if (noContext[side.ordinal()] || inf.finished()) {
      inf.reset();
    }
  }

  /** Returns whether {@code side}'s stream still inflates. */
  boolean inflating(Side side) {
    return !broken[side.ordinal()];
  }

  /** Inflates payload bytes of {@code side}; output goes to {@code preview} up to {@code limit}. */
  void inflate(Side side, byte[] b, int off, int len, ByteArrayOutputStream preview, int limit) {
    Inflater inf = inflaters[side.ordinal()];
    if (broken[side.ordinal()] || inf.finished()) {
      return;
    }
    inf.setInput(b, off, len);
    try {
      while (!inf.finished()) {
        int n = inf.inflate(out);
        if (n == 0) {
          break; // needs input (or a dictionary, which permessage-deflate never uses)
        }
        preview.write(out, 0, Math.max(0, Math.min(n, limit - preview.size())));
      }
    } catch (DataFormatException e) {
      broken[side.ordinal()] = true;
    }
  }

  /** Ends a compressed message of {@code side}: the sender stripped its last four bytes. */
  void end(Side side, ByteArrayOutputStream preview, int limit) {
    inflate(side, TAIL, 0, TAIL.length, preview, limit);
  }

  @Override
  public void close() {
    for (Inflater inf : inflaters) {
      inf.end();
    }
  }
}
