package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fires a few thousand generated requests (fixed seed) at a real daemon over every route, method,
 * header and body shape: no 5xx at all (not even where Toxiproxy answers a bad listen with 500),
 * errors in the JSON format, no stack trace in the log.
 */
@Timeout(120)
class ApiFuzzTest {
  private static final long SEED = 9;
  private static final int CASES = 3000;

  private static final String[] NAMES = {
    "a", "b", "fuzz", "%20%20", "%09", "nope", "a%2Fb", "%C3%A9", "..", "x".repeat(300), "%00"
  };
  private static final String[] PATHS = {
    "/proxies",
    "/populate",
    "/reset",
    "/version",
    "/proxies/{n}",
    "/proxies/{n}/toxics",
    "/proxies/{n}/toxics/{n}",
    "/api/proxies",
    "/api/populate",
    "/api/reset",
    "/api/proxies/{n}",
    "/api/proxies/{n}/toxics",
    "/api/proxies/{n}/toxics/{n}",
    "/api/toxic-types",
    "/api/status",
    "/metrics",
    "/api/watch/listeners",
    "/api/watch/events?since={v}&port={v}&type={v}",
    "/api/watch/history/{v}",
    "/",
    "/dashboard/{n}",
    "/api/dashboard/ports",
    "/api/dashboard/ports/{v}",
    "/api/dashboard/ports/{v}/check?address={v}",
    "/api/dashboard/events?type={v}&port={v}&limit={v}",
    "/api/capture/events?after={v}&limit={v}&proxy={n}",
    "/api/capture/status",
    "/api/proxies/{n}/capture?since={v}&connection={v}",
    "/api/proxies/{n}/capture.har?since={v}",
    "/api/proxies/{n}/capture.pcap?connection={v}",
    "/api/proxies/{n}/stats",
    "/api/routes",
    "/api/routes/{n}",
    "/api/router",
    "/api/quarantines",
    "/api/quarantines/{v}/release",
    "/nothing",
    "//proxies",
    "/proxies/"
  };
  private static final String[] VALUES = {
    "1",
    "0",
    "-1",
    "65536",
    "99999999999999d",
    "24h",
    "abc",
    "%D9%A8",
    "1h30m",
    "",
    "127.0.0.1",
    "listen",
    "9e99"
  };
  private static final String[] METHODS = {
    "GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"
  };
  private static final String[] TYPES = {
    null,
    "application/json",
    "application/json; charset=nope",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    ";;;",
    "application/json; charset=utf-16"
  };
  private static final String[] FIELDS = {
    "name", "listen", "upstream", "enabled", "type", "stream", "toxicity", "attributes", "protocol",
    "upstreams"
  };
  private static final Object[] FIELD_VALUES = {
    "\"fuzz\"",
    "\"   \"",
    "\"127.0.0.1:0\"",
    "\"localhost:0\"",
    "\"local373\"",
    "\":0\"",
    "\"[::1]:0\"",
    "\"0.0.0.0:0\"",
    "\"127.0.0.1:99999\"",
    "\"x:1\"",
    "\"latency\"",
    "\"upstream\"",
    "\"DOWN\"",
    "\"udp\"",
    "\"bogus\"",
    "true",
    "null",
    "1",
    "-1",
    "1e400",
    "99999999999999999999",
    "0.5",
    "[]",
    "{}",
    "{\"latency\":\"x\"}",
    "{\"latency\":1e30}",
    "{\"rate\":-5}",
    "[\"127.0.0.1:1\", 80]",
    "[\"a:b:c\", -1, 99999999999]",
    "\"fuzz.localhost\"",
    "\"\\u202e\"",
    "\"\\ud800\""
  };

  @TempDir Path dataDir;

  @Test
  void generatedRequestsNeverBreakTheDaemon() throws Exception {
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    try (LogCapture log = new LogCapture();
        Daemon d = Daemon.start(DaemonConfig.local(0, dataDir).withToxiproxyPort(0))) {
      for (int i = 0; i < CASES && failures.size() < 10; i++) {
        String request = request(random);
        int port = random.nextInt(4) == 0 ? d.toxiproxyPort() : d.port();
        String response = send(port, request);
        String problem = check(request, response);
        if (problem != null) {
          failures.add(problem + "\n--- request:\n" + request + "\n--- response:\n" + response);
        }
      }
      assertThat(failures).isEmpty();
      assertThat(log.text()).doesNotContain("\tat ", "ERROR");
    }
  }

  /** Returns why {@code response} is wrong, or null. */
  private static String check(String request, String response) {
    if (response.isEmpty()) {
      return null; // closed without an answer (a malformed request line): acceptable
    }
    int status = Integer.parseInt(response.substring(9, 12));
    String body = response.substring(response.indexOf("\r\n\r\n") + 4);
    if (status >= 500) {
      return "status " + status;
    }
    if (status >= 400
        && !routerReply(status, body)
        && !body.isEmpty()
        && !body.matches(
            "(?s)\\{\"error\":\".*\",\"status\":" + status + "(,\"proxies\":.*)?}\n?")) {
      return "error body not in the JSON format";
    }
    if (body.contains("\tat ") || body.contains("Exception")) {
      return "a stack trace or exception name in the body";
    }
    return null;
  }

  private static boolean routerReply(int status, String body) {
    return (status == 404 && body.equals("404 page not found\n"))
        || (status == 403 && body.equals("User agent not allowed\n"))
        || (status == 405 && body.isEmpty());
  }

  private static String request(Random r) {
    String method = METHODS[r.nextInt(METHODS.length)];
    String path = PATHS[r.nextInt(PATHS.length)];
    while (path.contains("{n}")) {
      path = path.replaceFirst("\\{n}", NAMES[r.nextInt(NAMES.length)]);
    }
    while (path.contains("{v}")) {
      path = path.replaceFirst("\\{v}", VALUES[r.nextInt(VALUES.length)]);
    }
    String body = body(r);
    StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    sb.append(r.nextInt(20) == 0 ? "Host: evil.example\r\n" : "Host: 127.0.0.1\r\n");
    sb.append("Connection: close\r\n");
    String type = TYPES[r.nextInt(TYPES.length)];
    if (type != null) {
      sb.append("Content-Type: ").append(type).append("\r\n");
    }
    if (r.nextInt(10) == 0) {
      sb.append("Origin: http://127.0.0.2:1\r\n");
    }
    int framing = r.nextInt(10);
    if (framing == 0) {
      sb.append("Transfer-Encoding: chunked\r\n\r\n").append("zz\r\n").append(body);
    } else if (framing == 1) {
      sb.append("Transfer-Encoding: chunked\r\n\r\n")
          .append(Integer.toHexString(body.getBytes(StandardCharsets.UTF_8).length))
          .append("\r\n")
          .append(body)
          .append("\r\n0\r\n\r\n");
    } else if (framing == 2) {
      sb.append("Content-Length: -3\r\n\r\n").append(body);
    } else if (body.isEmpty() && r.nextBoolean()) {
      sb.append("\r\n");
    } else {
      sb.append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n\r\n")
          .append(body);
    }
    return sb.toString();
  }

  private static String body(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "";
      case 1 -> "{\"name\":";
      case 2 -> "[" + object(r) + "," + object(r) + "]";
      case 3 -> "null";
      case 4 -> "\u0000\u00ff\ufffd garbage";
      case 5 -> "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]";
      default -> object(r);
    };
  }

  private static String object(Random r) {
    StringBuilder sb = new StringBuilder("{");
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"')
          .append(FIELDS[r.nextInt(FIELDS.length)])
          .append("\":")
          .append(FIELD_VALUES[r.nextInt(FIELD_VALUES.length)]);
    }
    return sb.append('}').toString();
  }

  private static String send(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(15_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.net.SocketException reset) {
      return "";
    }
  }
}
