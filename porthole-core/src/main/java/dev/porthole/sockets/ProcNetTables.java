package dev.porthole.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the socket tables from {@code /proc/net/{tcp,tcp6,udp,udp6}} (root injectable). */
final class ProcNetTables implements SocketTables {
  private final Path procRoot;

  ProcNetTables(Path procRoot) {
    this.procRoot = procRoot;
  }

  @Override
  public ProcNetParser.Result read(Protocol protocol, boolean ipv6, LineFilter quick)
      throws IOException {
    byte[] text; // parsed as bytes: a String of 1.8 MB (tcp6 at 10,000 sockets) is one more copy
    try {
      text = Files.readAllBytes(file(protocol, ipv6));
    } catch (NoSuchFileException e) {
      return null;
    }
    return ProcNetParser.parse(text, protocol, ipv6, quick);
  }

  @Override
  public String source() {
    return "/proc/net";
  }

  @Override
  public String where(Protocol protocol, boolean ipv6) {
    return file(protocol, ipv6).toString();
  }

  private Path file(Protocol protocol, boolean ipv6) {
    return procRoot.resolve("net/" + protocol.label() + (ipv6 ? "6" : ""));
  }
}
