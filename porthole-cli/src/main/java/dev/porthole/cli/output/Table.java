package dev.porthole.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Returns rows as an aligned text table, the way {@code ss} and {@code docker ps} print them.
 *
 * <pre>{@code
 * Table t = new Table("PROTO", "PORT", "PROCESS").alignRight(1);
 * t.row("tcp", "62893", "java");
 * t.print(out, terminal);
 * }</pre>
 *
 * Cells may carry ANSI styling; widths are measured without it. The last column is never padded, so
 * lines carry no trailing blanks.
 */
public final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... headers) {
    if (headers.length == 0) {
      throw new IllegalArgumentException("headers: empty (expected: at least one column)");
    }
    this.headers = headers.clone();
    this.right = new boolean[headers.length];
  }

  /** Right-aligns the given columns (numbers read better that way). */
  public Table alignRight(int... columns) {
    for (int c : columns) {
      right[c] = true;
    }
    return this;
  }

  /** Adds a row; {@code null} cells print as "-". */
  public Table row(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException(
          "cells: " + cells.length + " (expected: " + headers.length + ")");
    }
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = cells[i] == null ? "-" : cells[i].toString();
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public int size() {
    return rows.size();
  }

  /**
   * Prints the header (bold on a colour terminal) and the rows, built in one buffer and written
   * with one call: 10,000 rows written line by line cost a cold {@code ports --all} more than
   * building them (each {@code println} locks, and its pieces pass the writer's layers one by one).
   */
  public void print(PrintWriter out, Terminal terminal) {
    int[] widths = new int[headers.length];
    for (int i = 0; i < headers.length; i++) {
      widths[i] = Terminal.width(headers[i]);
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], Terminal.width(row[i]));
      }
    }
    int lineLength = 1;
    for (int width : widths) {
      lineLength += width + 2;
    }
    StringBuilder sb = new StringBuilder(lineLength * (rows.size() + 1));
    String[] styledHeaders = new String[headers.length];
    for (int i = 0; i < headers.length; i++) {
      styledHeaders[i] = terminal.bold(headers[i]);
    }
    line(sb, styledHeaders, widths);
    for (String[] row : rows) {
      line(sb, row, widths);
    }
    out.write(sb.toString());
    out.flush();
  }

  /** Appends one line of {@code cells}, padded to {@code widths}, without trailing blanks. */
  private void line(StringBuilder sb, String[] cells, int[] widths) {
    int start = sb.length();
    for (int i = 0; i < cells.length; i++) {
      boolean last = i == cells.length - 1;
      int pad = widths[i] - Terminal.width(cells[i]);
      if (right[i]) {
        sb.repeat(' ', pad).append(cells[i]);
      } else {
        sb.append(cells[i]);
        if (!last) {
          sb.repeat(' ', pad);
        }
      }
      if (!last) {
        sb.append("  ");
      }
    }
    int end = sb.length();
    while (end > start && Character.isWhitespace(sb.charAt(end - 1))) {
      end--;
    }
    sb.setLength(end);
    sb.append(System.lineSeparator());
  }
}
