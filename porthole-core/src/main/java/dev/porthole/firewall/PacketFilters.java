package dev.porthole.firewall;

import dev.porthole.checks.CommandRunner;
import java.util.List;

/**
 * Returns the packet filter in charge of this machine (or network namespace).
 *
 * <p>ufw when it is active (it manages the machine: its rules survive ufw's reloads, and {@code ufw
 * status} shows them); else nftables when it has an input base chain of its own (a native ruleset,
 * as Debian's nftables.conf makes); else iptables when it runs (iptables-legacy or iptables-nft);
 * else nftables.
 */
public final class PacketFilters {
  private PacketFilters() {}

  /** Returns the filter to use; throws {@link FirewallException} when none runs here. */
  public static PacketFilter detect(CommandRunner runner) {
    if (UfwFilter.active(runner)) {
      return new UfwFilter(runner);
    }
    if (NftFilter.hasOwnInputChain(runner)) {
      return new NftFilter(runner);
    }
    if (runner.run(List.of("iptables", "-w", "-S", "INPUT")).ok()) {
      return new IptablesFilter(runner);
    }
    if (runner.run(List.of("nft", "list", "tables")).ok()) {
      return new NftFilter(runner);
    }
    throw new FirewallException(
        "no packet filter runs here: neither iptables nor nft works (install iptables or"
            + " nftables)");
  }

  /** Returns the filter of that name ({@code iptables}, {@code nft}, {@code ufw}), to remove by. */
  public static PacketFilter named(String name, CommandRunner runner) {
    return switch (name) {
      case "iptables" -> new IptablesFilter(runner);
      case "nft" -> new NftFilter(runner);
      case "ufw" -> new UfwFilter(runner);
      default -> throw new FirewallException("unknown packet filter '" + name + "' in the store");
    };
  }
}
