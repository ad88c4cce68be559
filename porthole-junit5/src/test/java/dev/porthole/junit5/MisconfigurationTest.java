package dev.porthole.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.porthole.testing.LocalProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each misconfiguration fails with an ExtensionConfigurationException that says how to fix it. */
@Timeout(60)
class MisconfigurationTest {
  static String failure(Class<?> c) {
    return Kit.failures(Kit.run(c)).stream().findFirst().orElse("no failure");
  }

  static class NoUpstream {
    @ProxyTo LocalProxy p;

    @Test
    void t() {}
  }

  static class TwoSources {
    @ProxyTo(value = "1", property = "x")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class WrongType {
    @ProxyTo("127.0.0.1:1")
    String p;

    @Test
    void t() {}
  }

  static class MissingProperty {
    @ProxyTo(property = "porthole.nothing.here")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class MissingEnv {
    @ProxyTo(env = "PORTHOLE_NOTHING_HERE")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class NullField {
    Object server;

    @ProxyTo(field = "server")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class UnknownField {
    @ProxyTo(field = "servr")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class UselessField {
    Object server = new Object();

    @ProxyTo(field = "server")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class StaticFromInstance {
    int port = 5432;

    @ProxyTo(field = "port")
    static LocalProxy p;

    @Test
    void t() {}
  }

  static class BadUpstream {
    @ProxyTo("nowhere")
    LocalProxy p;

    @Test
    void t() {}
  }

  static class WrongPortType {
    @FreePort String port;

    @Test
    void t() {}
  }

  static class BadParameter {
    @Test
    void t(@ProxyTo LocalProxy p) {}
  }

  @Test
  void eachMistakeSaysHowToFixIt() {
    assertThat(failure(NoUpstream.class))
        .isEqualTo(
            "@ProxyTo on field NoUpstream.p: no upstream; give exactly one of value ="
                + " \"host:port\", property = \"NAME\", env = \"NAME\" or field = \"NAME\"");
    assertThat(failure(TwoSources.class))
        .isEqualTo(
            "@ProxyTo on field TwoSources.p: value and property are both set; give exactly one"
                + " upstream source");
    assertThat(failure(WrongType.class))
        .isEqualTo(
            "@ProxyTo on field WrongType.p: the type must be dev.porthole.testing.LocalProxy,"
                + " not java.lang.String");
    assertThat(failure(MissingProperty.class))
        .isEqualTo(
            "@ProxyTo on field MissingProperty.p: system property porthole.nothing.here is not"
                + " set (run with -Dporthole.nothing.here=host:port, or give value ="
                + " \"host:port\")");
    assertThat(failure(MissingEnv.class))
        .isEqualTo(
            "@ProxyTo on field MissingEnv.p: environment variable PORTHOLE_NOTHING_HERE is not"
                + " set (export PORTHOLE_NOTHING_HERE=host:port, or give value = \"host:port\")");
    assertThat(failure(NullField.class))
        .isEqualTo(
            "@ProxyTo on field NullField.p: field server is null when the proxy is created;"
                + " start it in the field's initializer, the constructor or a static @BeforeAll"
                + " (fields are injected before @BeforeEach)");
    assertThat(failure(UnknownField.class))
        .isEqualTo(
            "@ProxyTo on field UnknownField.p: field = \"servr\": UnknownField has no such"
                + " field");
    assertThat(failure(UselessField.class))
        .startsWith(
            "@ProxyTo on field UselessField.p: field server holds a java.lang.Object, which"
                + " names no upstream; use an int port");
    assertThat(failure(StaticFromInstance.class))
        .isEqualTo(
            "@ProxyTo on field StaticFromInstance.p: field port is not static, so a static"
                + " proxy cannot use it; make it static");
    assertThat(failure(BadUpstream.class))
        .isEqualTo(
            "@ProxyTo on field BadUpstream.p: upstream: expected a port, host:port or a URI"
                + " (got nowhere)");
    assertThat(failure(WrongPortType.class))
        .isEqualTo(
            "@FreePort on field WrongPortType.port: the type must be int, Integer or"
                + " dev.porthole.testing.PortReservation, not java.lang.String");
    assertThat(failure(BadParameter.class))
        .contains("@ProxyTo on parameter #0 of BadParameter.t: no upstream;");
  }
}
