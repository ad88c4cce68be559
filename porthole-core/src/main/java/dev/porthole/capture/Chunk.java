package dev.porthole.capture;

/**
 * One chunk of a captured stream, as the proxy wrote it on: who sent it, when (microseconds after
 * the connection opened), the bytes, and how many bytes of that side went by unseen (spliced)
 * just before it, so a pcap puts the gap where it was.
 *
 * @param side who sent it
 * @param micros microseconds since the connection was accepted
 * @param data the bytes, a private copy
 * @param unseenBefore bytes of {@code side} carried unseen between the previous kept chunk of that
 *     side and this one (0: they follow each other; records stored without it read as 0)
 */
public record Chunk(Side side, long micros, byte[] data, long unseenBefore) {
  /** Returns a chunk that follows the previous one of its side. */
  public Chunk(Side side, long micros, byte[] data) {
    this(side, micros, data, 0);
  }
}
