package dev.porthole.sockets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Returns user names for uids, read once from a passwd file (falls back to the number). */
public final class UserNames {
  private final Path passwd;
  private Map<Integer, String> names;

  public UserNames(Path passwd) {
    this.passwd = passwd;
  }

  /** Returns the names of this machine's {@code /etc/passwd}. */
  public static UserNames system() {
    return new UserNames(Path.of("/etc/passwd"));
  }

  /** Returns the user name of {@code uid}, or the uid as text when passwd does not list it. */
  public synchronized String name(int uid) {
    if (names == null) {
      names = load(passwd);
    }
    String name = names.get(uid);
    return name != null ? name : Integer.toString(uid);
  }

  private static Map<Integer, String> load(Path passwd) {
    Map<Integer, String> map = new HashMap<>();
    try {
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", 4);
        if (f.length >= 3 && !line.startsWith("#")) {
          try {
            map.putIfAbsent(Integer.parseInt(f[2]), f[0]);
          } catch (NumberFormatException ignored) {
            // A malformed passwd line names nobody; the uid then prints as a number.
          }
        }
      }
    } catch (IOException e) {
      // No passwd (containers, non-Linux): every user prints as its uid.
    }
    return map;
  }
}
