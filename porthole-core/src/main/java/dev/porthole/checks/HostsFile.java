package dev.porthole.checks;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Returns the entries of a hosts file ({@code /etc/hosts}) that name one host.
 *
 * @param path the file read
 * @param entries each line naming the host: the address and the line number
 */
public record HostsFile(Path path, List<Entry> entries) {

  /** Returns one mapping: the address as written, whether it is loopback, the line number. */
  public record Entry(String address, boolean loopback, int line) {}

  /** Returns the lines of {@code path} that map {@code name}; throws when unreadable. */
  public static HostsFile read(Path path, String name) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<String> lines = Files.readAllLines(path);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String[] fields = (hash < 0 ? line : line.substring(0, hash)).strip().split("\\s+");
      for (int f = 1; f < fields.length; f++) {
        if (fields[f].toLowerCase(Locale.ROOT).equals(name)) {
          entries.add(new Entry(fields[0], loopback(fields[0]), i + 1));
          break;
        }
      }
    }
    return new HostsFile(path, List.copyOf(entries));
  }

  private static boolean loopback(String address) {
    if (!address.matches("[0-9a-fA-F:.]+")) {
      return false; // not an address literal: never resolve while reading a hosts file
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns the addresses listed more than once, as written. */
  public List<String> duplicates() {
    List<String> seen = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    for (Entry e : entries) {
      String canonical = canonical(e.address());
      if (seen.contains(canonical) && !twice.contains(e.address())) {
        twice.add(e.address());
      }
      seen.add(canonical);
    }
    return twice;
  }

  private static String canonical(String address) {
    try {
      return InetAddress.getByName(address).getHostAddress();
    } catch (IOException e) {
      return address;
    }
  }
}
