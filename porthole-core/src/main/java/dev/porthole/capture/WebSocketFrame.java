package dev.porthole.capture;

/**
 * One WebSocket frame as seen on a proxied connection after its {@code 101 Switching Protocols}:
 * who sent it, when, its opcode and payload size, and a preview of the payload (unmasked).
 *
 * @param side who sent it (the client's frames are masked on the wire; the preview is unmasked)
 * @param micros microseconds after the connection was accepted, when its first byte was seen
 * @param opcode the opcode: 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong
 * @param fin whether the frame ends its message
 * @param compressed whether RSV1 is set (permessage-deflate): the preview is then the compressed
 *     bytes, in base64
 * @param size the true payload size
 * @param text whether {@code data} is text: an uncompressed text frame or a continuation of one
 * @param data the first bytes of the payload: UTF-8 text when {@code text}, otherwise base64
 */
public record WebSocketFrame(
    Side side,
    long micros,
    int opcode,
    boolean fin,
    boolean compressed,
    long size,
    boolean text,
    String data) {

  /** Returns the opcode's name: "text", "binary", "close", "ping", "pong", "cont" or "opN". */
  public String opcodeName() {
    return switch (opcode) {
      case 0 -> "cont";
      case 1 -> "text";
      case 2 -> "binary";
      case 8 -> "close";
      case 9 -> "ping";
      case 10 -> "pong";
      default -> "op" + opcode;
    };
  }
}
