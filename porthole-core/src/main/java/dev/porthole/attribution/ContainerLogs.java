package dev.porthole.attribution;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns the lines of a container's log as the engine sends them: a container without a TTY
 * multiplexes stdout and stderr in frames (an 8-byte header: stream 1 or 2, three zero bytes, the
 * payload's length big-endian), one with a TTY sends the raw text.
 */
final class ContainerLogs {
  private ContainerLogs() {}

  /** Returns the text lines of {@code body}, frames unwrapped, without line ends. */
  static List<String> lines(byte[] body) {
    String text = multiplexed(body) ? unwrap(body) : new String(body, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    text.lines().forEach(l -> lines.add(l.stripTrailing()));
    return lines;
  }

  private static boolean multiplexed(byte[] b) {
    return b.length >= 8 && b[0] >= 0 && b[0] <= 2 && b[1] == 0 && b[2] == 0 && b[3] == 0;
  }

  private static String unwrap(byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    ByteBuffer out = ByteBuffer.allocate(body.length);
    while (in.remaining() >= 8) {
      in.position(in.position() + 4);
      int size = in.getInt();
      if (size < 0 || size > in.remaining()) {
        size = in.remaining(); // a frame cut short: keep what came
      }
      out.put(body, in.position(), size);
      in.position(in.position() + size);
    }
    return new String(out.array(), 0, out.position(), StandardCharsets.UTF_8);
  }
}
