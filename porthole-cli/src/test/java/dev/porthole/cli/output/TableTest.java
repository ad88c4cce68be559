package dev.porthole.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
  private static String print(Table table, Terminal terminal) {
    StringWriter sink = new StringWriter();
    table.print(new PrintWriter(sink), terminal);
    return sink.toString();
  }

  @Test
  void alignsColumnsPadsNumbersRightAndLeavesNoTrailingBlanks() {
    Table table =
        new Table("PROTO", "PORT", "PROCESS", "ORIGIN")
            .alignRight(1)
            .row("tcp", 62893, "java", null)
            .row("udp", 53, "systemd-resolved", "")
            .row("tcp", 8000, null, "python http.server dev server");

    assertThat(print(table, Terminal.plain()))
        .isEqualTo(
            """
            PROTO   PORT  PROCESS           ORIGIN
            tcp    62893  java              -
            udp       53  systemd-resolved
            tcp     8000  -                 python http.server dev server
            """
                .replace("\n", System.lineSeparator()));
  }

  @Test
  void measuresStyledCellsWithoutTheirEscapes() {
    Terminal colour = new Terminal(true, true);
    Table table = new Table("SCOPE", "PORT").row(colour.yellow("all"), 1).row("loopback", 22);

    assertThat(print(table, colour).split(System.lineSeparator()))
        .containsExactly(
            "\u001b[1mSCOPE\u001b[0m     \u001b[1mPORT\u001b[0m",
            "\u001b[33mall\u001b[0m       1",
            "loopback  22");
  }

  @Test
  void printsTheHeaderAloneForNoRows() {
    assertThat(print(new Table("A", "B"), Terminal.plain()))
        .isEqualTo("A  B" + System.lineSeparator());
  }

  @Test
  void refusesARowOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("A", "B").row("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cells: 1 (expected: 2)");
  }
}
