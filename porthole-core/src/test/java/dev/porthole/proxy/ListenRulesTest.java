package dev.porthole.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.sockets.Protocol;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Bind failures in Go's words, each with the kind (so the status) the API answers. */
class ListenRulesTest {
  private static final InetSocketAddress AT = new InetSocketAddress("127.0.0.1", 26001);

  /** Returns the failure for an engine error, as TcpProxy and UdpProxy wrap it. */
  private static ProxyException failure(Throwable cause) {
    return ListenRules.bindFailure(Protocol.TCP, AT, ErrorText.bindError(AT, cause));
  }

  @Test
  void aTakenAddressIsInUse() {
    ProxyException e = failure(new IOException("bind(..) failed: Address already in use"));
    assertThat(e.kind()).isEqualTo(ProxyException.Kind.IN_USE);
    assertThat(e).hasMessage("listen tcp 127.0.0.1:26001: bind: address already in use");
  }

  @Test
  void anAddressNotHereOrAPrivilegedPortIsTheRequestsFault() {
    ProxyException absent = failure(new BindException("Cannot assign requested address"));
    assertThat(absent.kind()).isEqualTo(ProxyException.Kind.LISTEN);
    assertThat(absent)
        .hasMessage("listen tcp 127.0.0.1:26001: bind: cannot assign requested address");
    ProxyException privileged = failure(new IOException("bind(..) failed: Permission denied"));
    assertThat(privileged.kind()).isEqualTo(ProxyException.Kind.LISTEN);
    assertThat(privileged).hasMessage("listen tcp 127.0.0.1:26001: bind: permission denied");
  }

  @Test
  void anythingElseIsTheHostsFailureWithItsReason() {
    ProxyException e = failure(new IOException("Too many open files"));
    assertThat(e.kind()).isEqualTo(ProxyException.Kind.FAILED);
    assertThat(e).hasMessage("listen tcp 127.0.0.1:26001: Too many open files");
  }
}
