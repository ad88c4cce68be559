package dev.porthole.capture;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a TLS ClientHello says in the clear: the server name (SNI) and the offered ALPN protocols.
 * Nothing is decrypted.
 *
 * <p>Parsed here rather than with Netty's {@code SniHandler}: that handler lives in a pipeline and
 * reads only the server name, and its parser ({@code SslUtils}) is not public.
 *
 * @param sni the server name, or {@code null} when none was sent
 * @param alpn the ALPN protocols offered, in order (empty when none)
 */
public record TlsHello(String sni, List<String> alpn) {
  private static final int HANDSHAKE = 22;
  private static final int EXT_SNI = 0;
  private static final int EXT_ALPN = 16;

  /** Returns whether {@code b} opens like a TLS handshake record (needs 3 bytes). */
  public static boolean looksLikeTls(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == HANDSHAKE && b[1] == 3 && (b[2] & 0xff) <= 4;
  }

  /**
   * Returns the ClientHello's SNI and ALPN, or {@code null} when {@code b} does not hold a whole
   * ClientHello (first record only) or is malformed.
   */
  public static TlsHello parse(byte[] b) {
    try {
      return parseOrThrow(b);
    } catch (IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static TlsHello parseOrThrow(byte[] b) {
    if (!looksLikeTls(b) || b.length < 9 || b[5] != 1) {
      return null;
    }
    int recordEnd = 5 + u16(b, 3);
    if (recordEnd > b.length) {
      return null;
    }
    int p = 9 + 2 + 32; // handshake header, client version, random
    p += 1 + u8(b, p); // session id
    p += 2 + u16(b, p); // cipher suites
    p += 1 + u8(b, p); // compression methods
    if (p + 2 > recordEnd) {
      return new TlsHello(null, List.of());
    }
    int end = Math.min(recordEnd, p + 2 + u16(b, p));
    p += 2;
    String sni = null;
    List<String> alpn = new ArrayList<>();
    while (p + 4 <= end) {
      int type = u16(b, p);
      int len = u16(b, p + 2);
      int body = p + 4;
      if (type == EXT_SNI && len >= 5 && u8(b, body + 2) == 0) {
        sni = ascii(b, body + 5, u16(b, body + 3));
      } else if (type == EXT_ALPN && len >= 2) {
        int q = body + 2;
        while (q < body + len) {
          int n = u8(b, q);
          alpn.add(ascii(b, q + 1, n));
          q += 1 + n;
        }
      }
      p = body + len;
    }
    return new TlsHello(sni, List.copyOf(alpn));
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  private static int u16(byte[] b, int i) {
    return (u8(b, i) << 8) | u8(b, i + 1);
  }

  private static String ascii(byte[] b, int from, int len) {
    if (from + len > b.length) {
      throw new IndexOutOfBoundsException();
    }
    return new String(b, from, len, StandardCharsets.US_ASCII);
  }
}
