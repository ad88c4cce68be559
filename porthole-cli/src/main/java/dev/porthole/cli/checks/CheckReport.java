package dev.porthole.cli.checks;

import dev.porthole.checks.CheckResult;
import dev.porthole.checks.Diagnosis;
import dev.porthole.checks.DiagnosisCode;
import dev.porthole.checks.HttpInfo;
import dev.porthole.checks.Step;
import dev.porthole.checks.TlsInfo;
import dev.porthole.cli.output.Table;
import dev.porthole.cli.output.Terminal;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a check's result for people: the timed steps, TLS and HTTP, then the diagnosis. */
public final class CheckReport {
  private CheckReport() {}

  static void print(PrintWriter out, Terminal t, CheckResult r) {
    Table steps = new Table("STEP", "TIME", "RESULT").alignRight(1);
    for (Step s : r.steps()) {
      steps.row(s.name(), millis(s.millis()), s.ok() ? s.detail() : t.red(s.detail()));
    }
    steps.row("total", millis(r.totalMillis()), "");
    steps.print(out, t);
    if (r.tls() != null) {
      printTls(out, t, r.tls());
    }
    if (r.http() != null) {
      printHttp(out, r.http());
    }
    for (String w : r.warnings()) {
      out.println(t.yellow("note: ") + w);
    }
    if (r.published() != null
        && (r.diagnosis() == null || r.diagnosis().code() != DiagnosisCode.PUBLISHED_VIA_DNAT)) {
      // Up or down: the socket table shows no listener (or dockerd's), so say who answers.
      out.println(t.yellow("note: ") + "this port is " + r.published().summary());
    }
    out.println();
    if (r.up()) {
      out.println(t.green("UP") + "  " + r.target() + " answers (via " + r.connected() + ")");
    } else {
      printDiagnosis(out, t, r.target(), r.diagnosis());
    }
    out.flush();
  }

  private static void printTls(PrintWriter out, Terminal t, TlsInfo tls) {
    out.println();
    out.println("TLS   " + tls.protocol() + ", " + tls.cipher());
    out.println("      subject " + tls.subject() + ", issuer " + tls.issuer());
    String trust =
        tls.selfSigned()
            ? t.yellow("self-signed (accepted for inspection only)")
            : tls.trusted()
                ? "trusted"
                : t.yellow("not trusted by the JDK (accepted for inspection only)");
    out.println("      expires " + tls.notAfter() + ", " + trust);
  }

  private static void printHttp(PrintWriter out, HttpInfo h) {
    out.println();
    out.println("HTTP  " + h.status() + " " + h.reason() + ", body " + h.bodyBytes() + " bytes");
    if (!h.headers().isEmpty()) {
      out.println(
          "      "
              + h.headers().entrySet().stream()
                  .map(e -> e.getKey() + ": " + e.getValue())
                  .collect(Collectors.joining(", ")));
    }
  }

  static void printDiagnosis(PrintWriter out, Terminal t, String target, Diagnosis d) {
    if (d == null) {
      out.println(t.red("DOWN") + "  " + target);
      return;
    }
    out.println(
        t.red("DOWN") + "  " + target + ": " + d.summary() + "  " + t.dim("[" + d.code() + "]"));
    for (String line : d.details()) {
      out.println("      - " + line);
    }
    out.println("      " + t.bold("fix:") + " " + d.fix());
  }

  static String millis(double ms) {
    return String.format(Locale.ROOT, "%.1f ms", ms);
  }
}
