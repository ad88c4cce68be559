package dev.porthole.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A UDP proxy created through the Toxiproxy API carries datagrams and its protocol field. */
@Timeout(60)
class UdpProxyTest {
  @TempDir Path dataDir;

  @Test
  void aUdpProxyForwardsDatagramsAndSurvivesARestart() throws Exception {
    try (DatagramSocket upstream = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> echo(upstream));
      String listen;
      try (Daemon d = Daemon.start(DaemonConfig.local(0, dataDir))) {
        HttpResponse<String> r =
            new Http(d.url())
                .post(
                    "/proxies",
                    "{\"name\":\"dns\",\"protocol\":\"udp\",\"listen\":\"127.0.0.1:0\",\"upstream\":\"127.0.0.1:"
                        + upstream.getLocalPort()
                        + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).contains("\"enabled\":true,\"protocol\":\"udp\"");
        listen = r.body().replaceAll(".*\"listen\":\"([^\"]*)\".*", "$1");
        assertThat(roundTrip(listen, "ping")).isEqualTo("ping");
        HttpResponse<String> tcpOnly =
            new Http(d.url()).post("/proxies/dns/toxics", "{\"type\":\"slicer\"}");
        assertThat(tcpOnly.statusCode()).isEqualTo(400);
      }
      try (Daemon again = Daemon.start(DaemonConfig.local(0, dataDir))) {
        assertThat(new Http(again.url()).get("/proxies/dns").body())
            .contains("\"protocol\":\"udp\"");
        assertThat(roundTrip(listen, "pong")).isEqualTo("pong");
      }
    }
  }

  private static void echo(DatagramSocket socket) {
    byte[] buf = new byte[2048];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        socket.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      } catch (java.io.IOException e) {
        return;
      }
    }
  }

  private static String roundTrip(String hostPort, String text) throws Exception {
    int colon = hostPort.lastIndexOf(':');
    InetSocketAddress target =
        new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(5000);
      byte[] out = text.getBytes(StandardCharsets.UTF_8);
      client.send(new DatagramPacket(out, out.length, target));
      DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
      client.receive(in);
      return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
    }
  }
}
