package dev.porthole.cli.service;

import java.util.ArrayList;
import java.util.List;

/**
 * The systemd user unit that runs {@code porthole up}: its file name and its text.
 *
 * @param command the full command line of the daemon, e.g. {@code [/usr/bin/porthole, up, --port,
 *     63800]}
 */
public record UserUnit(List<String> command) {
  /** The unit's name under {@code ~/.config/systemd/user}. */
  public static final String NAME = "porthole.service";

  /** Copies {@code command} and checks it names a program. */
  public UserUnit {
    command = List.copyOf(command);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command: empty (expected the porthole program first)");
    }
  }

  /** Returns the unit file's text. */
  public String render() {
    return String.join(
        "\n",
        "# Written by `porthole service install`; `porthole service uninstall` removes it.",
        "[Unit]",
        "Description=porthole daemon: API, proxies and dashboard (porthole up)",
        "Documentation=man:porthole-up(1)",
        "After=network.target",
        "",
        "[Service]",
        "Type=simple",
        "ExecStart=" + execStart(),
        "Restart=on-failure",
        "RestartSec=2s",
        "",
        "[Install]",
        "WantedBy=default.target",
        "");
  }

  /** Returns the command as systemd's ExecStart= reads it: quoted words, % and $ doubled. */
  public String execStart() {
    List<String> words = new ArrayList<>();
    for (String word : command) {
      String escaped = word.replace("\\", "\\\\").replace("\"", "\\\"");
      escaped = escaped.replace("%", "%%").replace("$", "$$");
      boolean plain = !escaped.isEmpty() && escaped.chars().noneMatch(c -> c <= ' ' || c == '\'');
      words.add(plain ? escaped : "\"" + escaped + "\"");
    }
    return String.join(" ", words);
  }
}
