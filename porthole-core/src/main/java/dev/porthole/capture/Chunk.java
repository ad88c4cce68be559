package dev.porthole.capture;

/**
 * One chunk of a captured stream, as the proxy wrote it on: who sent it, when (microseconds after
 * the connection opened) and the bytes.
 *
 * @param side who sent it
 * @param micros microseconds since the connection was accepted
 * @param data the bytes, a private copy
 */
public record Chunk(Side side, long micros, byte[] data) {}
