package dev.porthole.checks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Returns what the wire says about a target: resolve, connect to each address until one works (as a
 * client would), TLS, request, first byte. Knows nothing of processes or firewalls; {@link
 * Diagnoser} joins those in.
 */
final class Probe {
  /** How long a plain TCP check waits to see whether the server speaks first, or hangs up. */
  private static final int TCP_LISTEN_MILLIS = 300;

  private final int timeoutMillis;
  private final CommandRunner runner;

  Probe(int timeoutMillis, CommandRunner runner) {
    this.timeoutMillis = timeoutMillis;
    this.runner = runner;
  }

  Observation run(Target target) {
    List<Step> steps = new ArrayList<>();
    long t0 = System.nanoTime();
    Resolution resolution = null;
    List<InetAddress> addresses;
    if (target.literal()) {
      addresses = List.of(target.literalAddress());
      steps.add(Step.ok("resolve", t0, "address literal, nothing to resolve"));
    } else {
      resolution = Resolution.of(target.host(), runner);
      addresses = resolution.jvm();
      steps.add(resolveStep(resolution, t0));
      if (addresses.isEmpty()) {
        String why = target.host() + " does not resolve";
        return new Observation(
            target, resolution, List.of(), steps, Failure.UNRESOLVED, why, null, null);
      }
    }
    return connectAndTalk(target, resolution, addresses, steps);
  }

  private static Step resolveStep(Resolution r, long t0) {
    if (r.jvm().isEmpty()) {
      return Step.failed("resolve", t0, r.host() + " does not resolve");
    }
    String detail = String.join(", ", r.jvmAddresses());
    if (r.ordersDiffer()) {
      detail += " (system resolver: " + String.join(", ", r.system()) + ")";
    }
    return Step.ok("resolve", t0, detail);
  }

  private Observation connectAndTalk(
      Target target, Resolution resolution, List<InetAddress> addresses, List<Step> steps) {
    long t0 = System.nanoTime();
    List<Attempt> attempts = new ArrayList<>();
    Socket socket = null;
    for (InetAddress address : addresses) {
      long a0 = System.nanoTime();
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(address, target.port()), timeoutMillis);
        attempts.add(new Attempt(Resolution.text(address), null, Step.since(a0), null));
        socket = s;
        break;
      } catch (IOException e) {
        closeQuietly(s);
        attempts.add(
            new Attempt(Resolution.text(address), classify(e, true), Step.since(a0), words(e)));
      }
    }
    String detail =
        attempts.stream().map(Probe::describe).reduce((x, y) -> x + ", " + y).orElse("");
    if (socket == null) {
      steps.add(Step.failed("connect", t0, detail));
      Attempt first = attempts.get(0);
      return new Observation(
          target, resolution, attempts, steps, first.failure(), first.error(), null, null);
    }
    steps.add(Step.ok("connect", t0, detail));
    try (Socket connected = socket) {
      Conversation talk = new Conversation(target, connected, steps);
      talk.run();
      return new Observation(
          target, resolution, attempts, steps, talk.failure, talk.error, talk.tls, talk.http);
    } catch (IOException e) {
      return new Observation(
          target, resolution, attempts, steps, Failure.OTHER, words(e), null, null);
    }
  }

  private static String describe(Attempt a) {
    return a.address() + (a.connected() ? " connected" : " " + label(a.failure()));
  }

  private static String label(Failure f) {
    return switch (f) {
      case REFUSED -> "refused";
      case CONNECT_TIMEOUT -> "timed out";
      case UNREACHABLE -> "unreachable";
      default -> f.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }

  /** Returns the failure an exception stands for; {@code connecting} tells a SYN timeout apart. */
  static Failure classify(IOException e, boolean connecting) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
    if (e instanceof SocketTimeoutException) {
      return connecting ? Failure.CONNECT_TIMEOUT : Failure.NO_ANSWER;
    } else if (e instanceof NoRouteToHostException || m.contains("unreachable")) {
      return Failure.UNREACHABLE;
    } else if (e instanceof ConnectException) {
      return m.contains("timed out") ? Failure.CONNECT_TIMEOUT : Failure.REFUSED;
    } else if (m.contains("reset") || m.contains("broken pipe")) {
      return Failure.RESET;
    } else if (e instanceof EOFException || m.contains("closed")) {
      return Failure.CLOSED;
    } else if (e instanceof SSLException) {
      return Failure.TLS_FAILED;
    } else if (e instanceof HttpExchange.NotHttpException) {
      return Failure.NOT_HTTP;
    }
    return Failure.OTHER;
  }

  static String words(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a socket that never connected; nothing to report
    }
  }

  /** Returns the steps after connect, on one connected socket. */
  private final class Conversation {
    final Target target;
    final Socket socket;
    final List<Step> steps;
    Failure failure;
    String error;
    TlsInfo tls;
    HttpInfo http;

    Conversation(Target target, Socket socket, List<Step> steps) {
      this.target = target;
      this.socket = socket;
      this.steps = steps;
    }

    void run() throws IOException {
      socket.setSoTimeout(timeoutMillis);
      Socket channel = socket;
      if (target.scheme().tls()) {
        channel = handshake();
        if (channel == null) {
          return;
        }
      }
      if (target.scheme().http()) {
        request(channel);
      } else {
        listen();
      }
    }

    private Socket handshake() {
      long t0 = System.nanoTime();
      try {
        TlsInspector.Result r =
            TlsInspector.handshake(socket, target.host(), target.port(), timeoutMillis);
        tls = r.info();
        steps.add(Step.ok("tls", t0, tlsDetail(tls)));
        return r.socket();
      } catch (IOException e) {
        steps.add(Step.failed("tls", t0, words(e)));
        fail(
            Sniffer.plainHttp(socket.getInetAddress(), target.port(), timeoutMillis)
                ? Failure.TLS_TO_PLAIN
                : classify(e, false),
            e);
        return null;
      }
    }

    private void request(Socket channel) {
      long t0 = System.nanoTime();
      try {
        HttpExchange.send(channel, target);
      } catch (IOException e) {
        steps.add(Step.failed("request", t0, words(e)));
        fail(classify(e, false), e);
        return;
      }
      steps.add(Step.ok("request", t0, "GET " + target.path()));
      long t1 = System.nanoTime();
      InputStream in;
      int first;
      try {
        in = channel.getInputStream();
        first = HttpExchange.firstByte(in);
      } catch (IOException e) {
        noAnswer(t1, e);
        return;
      }
      if (first < 0 || first == 0x15 || first == 0x16) {
        String what = first < 0 ? "closed without an answer" : "a TLS record";
        steps.add(Step.failed("first-byte", t1, what));
        plainToTlsOr(first < 0 ? Failure.CLOSED : Failure.PLAIN_TO_TLS, what);
        return;
      }
      steps.add(Step.ok("first-byte", t1, "answer started"));
      long t2 = System.nanoTime();
      try {
        http = HttpExchange.read(first, in);
        steps.add(Step.ok("body", t2, http.bodyBytes() + " bytes"));
      } catch (IOException e) {
        steps.add(Step.failed("body", t2, words(e)));
        fail(classify(e, false), e);
      }
    }

    private void noAnswer(long t1, IOException e) {
      steps.add(Step.failed("first-byte", t1, words(e)));
      Failure f = classify(e, false);
      if (f == Failure.RESET || f == Failure.CLOSED) {
        plainToTlsOr(f, words(e)); // a TLS server hangs up on plain text
      } else {
        fail(f, e);
      }
    }

    private void plainToTlsOr(Failure otherwise, String why) {
      boolean tlsPort =
          !target.scheme().tls()
              && Sniffer.speaksTls(socket.getInetAddress(), target.port(), timeoutMillis);
      failure = tlsPort ? Failure.PLAIN_TO_TLS : otherwise;
      error = why;
    }

    private void listen() {
      long t0 = System.nanoTime();
      try {
        socket.setSoTimeout(Math.min(timeoutMillis, TCP_LISTEN_MILLIS));
        int first = socket.getInputStream().read();
        if (first < 0) {
          steps.add(Step.failed("first-byte", t0, "closed right after accepting"));
          failure = Failure.CLOSED;
          error = "closed by the server right after connect";
        } else {
          steps.add(Step.ok("first-byte", t0, "the server spoke first"));
        }
      } catch (SocketTimeoutException e) {
        steps.add(Step.ok("first-byte", t0, "silent: the server waits for the client to speak"));
      } catch (IOException e) {
        steps.add(Step.failed("first-byte", t0, words(e)));
        fail(classify(e, false), e);
      }
    }

    private void fail(Failure f, IOException e) {
      failure = f;
      error = words(e);
    }
  }

  static String tlsDetail(TlsInfo t) {
    return t.protocol()
        + " "
        + t.cipher()
        + ", "
        + t.subject()
        + (t.selfSigned() ? ", self-signed" : t.trusted() ? ", trusted" : ", not trusted")
        + ", expires "
        + t.notAfter();
  }
}
