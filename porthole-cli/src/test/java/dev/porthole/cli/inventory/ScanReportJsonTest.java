package dev.porthole.cli.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.cli.inventory.ScanCommand.OpenPort;
import dev.porthole.cli.inventory.ScanCommand.Report;
import dev.porthole.cli.output.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Holds the hand-written scan JSON to what Jackson writes for the same report. */
class ScanReportJsonTest {
  @Test
  void writesWhatJacksonWritesForEmptyAndFullReports() {
    List<Report> reports =
        List.of(
            new Report("127.0.0.1", 65535, 419.48, 0, List.of(), List.of()),
            new Report("::1", 1, 0.0, 1, List.of(), List.of("short of file descriptors")),
            new Report(
                "127.0.0.1",
                9000,
                12345678.9,
                400,
                List.of(
                    new OpenPort(22, "0.0.0.0:22", 0, null, null),
                    new OpenPort(5432, "[::]:5432", 811, "postgres", "postgres"),
                    new OpenPort(62893, null, 0, null, null)),
                List.of("a", "short of local ports (Cannot assign): concurrency 4096 -> 3072")),
            new Report("127.0.0.2", 3, 1.0E-4, 0, List.of(), List.of("", " ")));
    for (Report r : reports) {
      assertThat(ScanReportJson.write(r)).isEqualTo(Json.write(r));
    }
  }

  @Test
  void escapesProcessNamesAsJacksonDoes() {
    // A process can name itself anything: quotes, backslashes, control characters, non-ASCII.
    List<String> names = new ArrayList<>(List.of("a\"b", "c\\d", "\b\t\n\f\r", "\u0000\u001f\u007f"));
    names.add("naïve ☃ \uD83D\uDE00 日本");
    Random random = new Random(16);
    for (int n = 0; n < 200; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        s.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x3000)));
      }
      names.add(s.toString());
    }
    for (String name : names) {
      Report r =
          new Report(
              "127.0.0.1", 2, 3.5, 0, List.of(new OpenPort(80, "127.0.0.1:80", 7, name, name)),
              List.of(name));
      assertThat(ScanReportJson.write(r)).as(name).isEqualTo(Json.write(r));
    }
  }
}
