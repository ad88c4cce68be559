package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link HttpDecoding}'s own framer to Netty's decoders ({@link NettyDecoding}, what capture
 * used before): random keep-alive connections, then the same with bytes flipped, inserted or
 * removed, each fed in random pieces to both. Both must agree on whether the connection is HTTP,
 * and on every exchange, field by field.
 */
class HttpFramerNettyTest {
  private static final int LIMIT = 64;
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
  private static final byte[] INTERESTING = ascii("\r\n :;\t0019aAfF,\"\\\u0000\u007f");

  @Test
  void randomConnectionsFrameAsNettyFramesThem() {
    Random random = new Random(10);
    int agreedHttp = 0;
    for (int i = 0; i < 1500; i++) {
      Connection c = connection(random);
      Outcome ours = ours(c, new Random(i));
      Outcome netty = netty(c, new Random(i));
      assertSame(c, ours, netty, "connection " + i);
      assertThat(ours.failure).as("connection %d is valid: %s", i, ours.failure).isNull();
      assertThat(ours.exchanges).as("connection %d", i).hasSize(c.exchanges);
      agreedHttp++;
    }
    assertThat(agreedHttp).isEqualTo(1500);
  }

  @Test
  void mutatedConnectionsFailOrFrameAsNettyDoes() {
    Random random = new Random(20);
    int failed = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Connection c = mutate(connection(random), random);
      Outcome ours = ours(c, new Random(i));
      Outcome netty = netty(c, new Random(i));
      assertSame(c, ours, netty, "mutated connection " + i);
      failed += ours.failure == null ? 0 : 1;
    }
    // The mutations must reach the checks: a good share of the connections break.
    assertThat(failed).isBetween(n / 10, n - n / 10);
  }

  private static void assertSame(Connection c, Outcome ours, Outcome netty, String what) {
    String context =
        what
            + "\nclient: "
            + show(c.client)
            + "\nserver: "
            + show(c.server)
            + "\nours: "
            + ours.failure
            + "\nnetty: "
            + netty.failure;
    assertThat(ours.failure == null).as(context).isEqualTo(netty.failure == null);
    assertThat(ours.exchanges).as(context).hasSameSizeAs(netty.exchanges);
    for (int i = 0; i < ours.exchanges.size(); i++) {
      HttpExchange a = ours.exchanges.get(i);
      HttpExchange b = netty.exchanges.get(i);
      assertThat(a)
          .as(context + "\nexchange " + i)
          .usingRecursiveComparison()
          .withEqualsForType(java.util.Arrays::equals, byte[].class)
          .isEqualTo(b);
    }
  }

  /** One generated connection: both directions' bytes and how many exchanges they hold. */
  record Connection(byte[] client, byte[] server, int exchanges) {}

  record Outcome(List<HttpExchange> exchanges, String failure) {}

  private static Outcome ours(Connection c, Random pieces) {
    List<HttpExchange> done = new ArrayList<>();
    HttpDecoding d = new HttpDecoding(LIMIT, done::add);
    return decode(c, pieces, done, d::feed, d::upgraded, d::cut);
  }

  private static Outcome netty(Connection c, Random pieces) {
    List<HttpExchange> done = new ArrayList<>();
    NettyDecoding d = new NettyDecoding(LIMIT, done::add);
    return decode(c, pieces, done, d::feed, d::upgraded, d::cut);
  }

  /** What both decoders take: bytes of one side, stamped. */
  interface SideSink {
    void take(Side side, long at, byte[] b);
  }

  /** Feeds the client's bytes, then the server's, then the cut, unless an upgrade ends it first. */
  private static Outcome decode(
      Connection c,
      Random pieces,
      List<HttpExchange> done,
      SideSink sink,
      java.util.function.Supplier<String> upgraded,
      java.util.function.LongConsumer cut) {
    try {
      long t = feed(c.client, pieces, (at, b) -> sink.take(Side.CLIENT, at, b), 0, upgraded);
      if (upgraded.get() == null) {
        t = feed(c.server, pieces, (at, b) -> sink.take(Side.SERVER, at, b), t, upgraded);
      }
      if (upgraded.get() == null) {
        cut.accept(t + 1);
      }
      return new Outcome(done, null);
    } catch (IllegalStateException e) {
      return new Outcome(done, e.getMessage());
    }
  }

  interface Sink {
    void take(long at, byte[] b);
  }

  /** Feeds {@code all} in random pieces, stamped 1, 2, 3… after {@code t}; returns the last. */
  private static long feed(
      byte[] all, Random pieces, Sink sink, long t, java.util.function.Supplier<String> up) {
    int at = 0;
    while (at < all.length && up.get() == null) {
      int n = Math.min(all.length - at, 1 + pieces.nextInt(pieces.nextBoolean() ? 8 : 300));
      sink.take(++t, java.util.Arrays.copyOfRange(all, at, at + n));
      at += n;
    }
    return t;
  }

  /** Returns a valid keep-alive connection of 1 to 5 exchanges, pipelined. */
  private static Connection connection(Random r) {
    ByteArrayOutputStream up = new ByteArrayOutputStream();
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    int n = 1 + r.nextInt(5);
    for (int i = 0; i < n; i++) {
      boolean last = i == n - 1;
      boolean head = r.nextInt(8) == 0;
      String method = head ? "HEAD" : METHODS[r.nextInt(METHODS.length)];
      StringBuilder req =
          new StringBuilder(method + " /p" + i + "?q=" + r.nextInt(99) + " HTTP/1.1\r\n");
      req.append(headers(r));
      boolean expect = false;
      if (!head && r.nextInt(3) == 0) {
        expect = r.nextInt(4) == 0;
        if (expect) {
          req.append("Expect: 100-continue\r\n");
        }
        up.writeBytes(ascii(req.toString()));
        body(r, up, false);
      } else {
        up.writeBytes(ascii(req.append("\r\n").toString()));
      }
      if (expect || r.nextInt(20) == 0) {
        down.writeBytes(ascii("HTTP/1.1 100 Continue\r\n\r\n"));
      }
      int[] codes = {200, 200, 201, 204, 304, 404, 500};
      int code = codes[r.nextInt(codes.length)];
      StringBuilder res = new StringBuilder("HTTP/1.1 " + code + " Reason " + code + "\r\n");
      res.append(headers(r));
      if (code == 204 || code == 304) {
        down.writeBytes(ascii(res.append("\r\n").toString()));
      } else if (head) {
        down.writeBytes(ascii(res.append("Content-Length: 5000\r\n\r\n").toString()));
      } else {
        down.writeBytes(ascii(res.toString()));
        body(r, down, last && r.nextInt(4) == 0);
      }
    }
    return new Connection(up.toByteArray(), down.toByteArray(), n);
  }

  private static String headers(Random r) {
    StringBuilder h = new StringBuilder();
    String[] names = {"Host", "accept", "X-Trace-Id", "Cache-Control", "user-agent", "X-Empty"};
    for (int i = r.nextInt(4); i > 0; i--) {
      String name = names[r.nextInt(names.length)];
      String value =
          name.equals("X-Empty") ? "" : "v" + r.nextInt(1000) + (r.nextBoolean() ? " x" : "");
      h.append(name).append(':').append(r.nextBoolean() ? " " : "").append(value);
      h.append(r.nextInt(6) == 0 ? " \t" : "").append("\r\n");
      if (!value.isEmpty() && r.nextInt(15) == 0) {
        h.append("  folded ").append(r.nextInt(9)).append("\r\n");
      }
    }
    if (r.nextInt(5) == 0) {
      h.append("Content-Encoding: identity\r\n");
    }
    return h.toString();
  }

  /** Writes the end of a head and a body: Content-Length, chunked, or (for a last response) EOF. */
  private static void body(Random r, ByteArrayOutputStream out, boolean untilClose) {
    byte[] body = new byte[r.nextInt(3) == 0 ? r.nextInt(400) : r.nextInt(20)];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + r.nextInt(26));
    }
    if (untilClose) {
      out.writeBytes(ascii("\r\n"));
      out.writeBytes(body);
    } else if (r.nextBoolean()) {
      out.writeBytes(ascii("Content-Length: " + body.length + "\r\n\r\n"));
      out.writeBytes(body);
    } else {
      out.writeBytes(ascii("Transfer-Encoding: chunked\r\n\r\n"));
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + r.nextInt(100));
        String ext = r.nextInt(6) == 0 ? ";name=\"v a\";x" : r.nextInt(6) == 0 ? " ;k=v" : "";
        out.writeBytes(
            ascii(
                (r.nextBoolean() ? Integer.toHexString(n) : Integer.toHexString(n).toUpperCase())
                    + ext
                    + "\r\n"));
        out.write(body, at, n);
        out.writeBytes(ascii("\r\n"));
        at += n;
      }
      out.writeBytes(ascii("0\r\n"));
      if (r.nextInt(3) == 0) {
        out.writeBytes(ascii("X-Checksum: " + r.nextInt(9999) + "\r\nContent-Length: 9\r\n"));
      }
      out.writeBytes(ascii("\r\n"));
    }
  }

  /** Returns {@code c} with one to three bytes of one side replaced, inserted or removed. */
  private static Connection mutate(Connection c, Random r) {
    boolean client = r.nextBoolean();
    byte[] b = client ? c.client : c.server;
    for (int k = 1 + r.nextInt(3); k > 0 && b.length > 0; k--) {
      int at = r.nextInt(b.length);
      byte x = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
      b =
          switch (r.nextInt(3)) {
            case 0 -> {
              byte[] m = b.clone();
              m[at] = x;
              yield m;
            }
            case 1 -> {
              byte[] m = new byte[b.length + 1];
              System.arraycopy(b, 0, m, 0, at);
              m[at] = x;
              System.arraycopy(b, at, m, at + 1, b.length - at);
              yield m;
            }
            default -> {
              byte[] m = new byte[b.length - 1];
              System.arraycopy(b, 0, m, 0, at);
              System.arraycopy(b, at + 1, m, at, b.length - at - 1);
              yield m;
            }
          };
    }
    return client
        ? new Connection(b, c.server, c.exchanges)
        : new Connection(c.client, b, c.exchanges);
  }

  private static String show(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      int c = x & 0xFF;
      s.append(
          c >= 0x20 && c < 0x7F
              ? String.valueOf((char) c)
              : c == '\r' ? "\\r" : c == '\n' ? "\\n" : String.format("\\x%02x", c));
    }
    return s.toString();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
