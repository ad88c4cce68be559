package dev.porthole.cli.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.capture.CaptureFeed;
import dev.porthole.capture.CaptureListener;
import dev.porthole.capture.Side;
import dev.porthole.capture.WebSocketFrame;
import dev.porthole.cli.output.Terminal;
import org.junit.jupiter.api.Test;

class TrafficLineTest {
  @Test
  void aWebSocketFrameShowsItsDirectionOpcodePreviewAndSize() {
    WebSocketFrame sent =
        new WebSocketFrame(Side.CLIENT, 2_000, 1, true, false, 34, true, "{\"op\":\n\"sub\"}");
    CaptureFeed.Event e =
        CaptureFeed.frame(7, new CaptureListener.Frame("web", 3, "127.0.0.1:5000", 0, sent));
    assertThat(e.direction()).isEqualTo("send");
    assertThat(e.type()).isEqualTo("frame");
    assertThat(TrafficLine.format(e, Terminal.plain()))
        .containsPattern("web +127\\.0\\.0\\.1:5000 +ws → text \\{\"op\": \"sub\"\\} +34 B +-$");
    WebSocketFrame got = new WebSocketFrame(Side.SERVER, 3_000, 2, true, false, 4, false, "AQID");
    String line =
        TrafficLine.format(
            CaptureFeed.frame(8, new CaptureListener.Frame("web", 3, "127.0.0.1:5000", 0, got)),
            Terminal.plain());
    assertThat(line).contains("ws ← binary AQID").containsPattern("4 B +-$");
  }
}
