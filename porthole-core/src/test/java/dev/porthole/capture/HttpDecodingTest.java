package dev.porthole.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpDecodingTest {
  private final List<HttpExchange> done = new ArrayList<>();
  private final HttpDecoding http = new HttpDecoding(8, done::add);

  private void client(long at, String text) {
    http.feed(Side.CLIENT, at, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private void server(long at, String text) {
    http.feed(Side.SERVER, at, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void pipelinedRequestsArePairedInOrderAndHeadHasNoBody() {
    client(10, "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    server(
        20,
        "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(done).extracting(HttpExchange::method).containsExactly("HEAD", "GET");
    assertThat(done.get(0).responseBodySize()).isZero();
    assertThat(done.get(1).status()).isEqualTo(201);
    assertThat(done.get(1).path()).isEqualTo("/b");
    assertThat(done.get(1).responseBody()).asString().isEqualTo("abc");
    assertThat(http.upgraded()).isNull();
  }

  @Test
  void aLongKeepAliveConnectionPublishesEveryExchangeButKeepsTheFirstThousand() {
    int n = HttpDecoding.MAX_KEPT + 5;
    for (int i = 0; i < n; i++) {
      client(i, "GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
      server(i, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
    assertThat(done).hasSize(n);
    assertThat(http.seen()).isEqualTo(n);
    assertThat(http.exchanges()).hasSize(HttpDecoding.MAX_KEPT);
    assertThat(http.exchanges().getLast().target()).isEqualTo("/" + (HttpDecoding.MAX_KEPT - 1));
  }

  @Test
  void chunkedBodiesCountTheirTrueSizeAndKeepOnlyTheLimit() {
    client(1, "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    client(2, "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
    server(3, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    HttpExchange x = done.getFirst();
    assertThat(x.requestBodySize()).isEqualTo(11);
    assertThat(x.requestBody()).asString().isEqualTo("hello wo");
    assertThat(x.sentMicros()).isEqualTo(2);
    assertThat(x.responseBodySize()).isEqualTo(3);
  }

  @Test
  void expectContinueMarksTheExchangeAndWaitsForTheFinalAnswer() {
    client(1, "PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    server(2, "HTTP/1.1 100 Continue\r\n\r\n");
    assertThat(done).isEmpty();
    client(3, "data");
    server(4, "HTTP/1.1 204 No Content\r\n\r\n");
    HttpExchange x = done.getFirst();
    assertThat(x.continued()).isTrue();
    assertThat(x.status()).isEqualTo(204);
    assertThat(x.firstByteMicros()).isEqualTo(2);
    assertThat(x.endMicros()).isEqualTo(4);
  }

  @Test
  void aWebSocketUpgradeEndsTheHttpView() {
    client(1, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    server(
        2,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: x\r\n\r\n");
    assertThat(done.getFirst().status()).isEqualTo(101);
    assertThat(http.upgraded()).isEqualTo("websocket");
  }

  @Test
  void aResponseReadUntilCloseEndsAtTheCut() {
    client(1, "GET / HTTP/1.0\r\n\r\n");
    server(2, "HTTP/1.0 200 OK\r\n\r\nstreamed until close");
    assertThat(done).isEmpty();
    http.cut(9);
    assertThat(done.getFirst().responseBodySize()).isEqualTo(20);
    assertThat(done.getFirst().endMicros()).isEqualTo(9);
  }

  @Test
  void garbageAfterARequestLineIsNotHttp() {
    assertThatThrownBy(() -> client(1, "GET / HTTP/1.1\r\nno colon\r\n\u0001\u0002\r\n\r\n"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a header line without a colon");
  }

  @Test
  void requestLinesAreRecognisedByTheirFirstBytes() {
    assertThat(HttpDecoding.looksLikeRequest("GET / HTTP/1.1".getBytes(), 8)).isTrue();
    assertThat(HttpDecoding.looksLikeRequest("GE".getBytes(), 8)).isTrue();
    assertThat(HttpDecoding.looksLikeRequest("SSH-2.0".getBytes(), 8)).isFalse();
    assertThat(HttpDecoding.looksLikeRequest(new byte[] {22, 3, 1}, 8)).isFalse();
  }
}
