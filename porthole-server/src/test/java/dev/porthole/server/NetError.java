package dev.porthole.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Returns the error code Chromium's error page names (ERR_...), for a failing test's message. */
final class NetError {
  private static final Pattern CODE = Pattern.compile("(?:NET::)?ERR_[A-Z0-9_]+");

  private NetError() {}

  /** Returns the first ERR_ code in {@code pageSource}, or its first 300 characters. */
  static String of(String pageSource) {
    Matcher m = CODE.matcher(pageSource == null ? "" : pageSource);
    if (m.find()) {
      return m.group();
    }
    String s = pageSource == null ? "(no page)" : pageSource;
    return s.substring(0, Math.min(300, s.length()));
  }
}
