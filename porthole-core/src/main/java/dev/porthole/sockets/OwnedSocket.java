package dev.porthole.sockets;

import java.util.List;

/**
 * Returns a socket together with the processes that hold it open.
 *
 * @param owners empty when no readable process holds the socket (another user's process while not
 *     root, or a socket owned by the kernel); several after a fork
 */
public record OwnedSocket(SocketEntry socket, List<ProcessInfo> owners) {
  public OwnedSocket {
    owners = List.copyOf(owners);
  }

  /** Returns the first owner, or null when it is unknown. */
  public ProcessInfo owner() {
    return owners.isEmpty() ? null : owners.getFirst();
  }
}
