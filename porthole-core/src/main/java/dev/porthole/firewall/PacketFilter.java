package dev.porthole.firewall;

import java.util.List;

/**
 * A packet filter porthole can add its own rules to and remove them from again: iptables,
 * nftables or ufw. Every method touches only rules that carry porthole's comment.
 */
public interface PacketFilter {
  /** Returns the filter's name as stored and shown: {@code iptables}, {@code nft}, {@code ufw}. */
  String name();

  /** Inserts {@code rule} ahead of the other rules; throws {@link FirewallException} on failure. */
  void insert(FirewallRule rule);

  /**
   * Removes every rule tagged with {@code id}; returns how many were removed (0 when none was
   * there: the machine rebooted, or someone removed it).
   */
  int remove(String id);

  /** Returns the ids of the tagged rules present now. */
  List<String> taggedIds();

  /** Returns the rules, as the filter prints them, that mention {@code port} and are not ours. */
  List<String> othersTouching(int port);
}
