package dev.porthole.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a started {@link dev.porthole.testing.LocalProxy} into a field or parameter: it listens
 * on a free loopback port and forwards to the upstream named by exactly one of {@link #value()},
 * {@link #property()}, {@link #env()} or {@link #field()}. The proxy is closed after the test (a
 * static field's after the class); toxics go through {@code proxy.toxics()}.
 *
 * <pre>{@code
 * class OrderClientTest {
 *   static HttpServer server = startServer();
 *
 *   @ProxyTo(field = "server") LocalProxy api;
 *
 *   @Test
 *   void retriesWhenTheApiIsSlow() {
 *     api.toxics().latency(Duration.ofMillis(500));
 *     new OrderClient(api.uri("http")).fetch();
 *   }
 * }
 * }</pre>
 *
 * <p>Instance fields are injected before {@code @BeforeEach} methods run, so a server the upstream
 * field refers to must be started by then: in a field initializer, the constructor or a static
 * {@code @BeforeAll}.
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PortholeExtension.class)
public @interface ProxyTo {
  /** Returns the upstream literally: a port, {@code host:port} or a URI ({@code jdbc:} too). */
  String value() default "";

  /** Returns the name of a system property that holds the upstream. */
  String property() default "";

  /** Returns the name of an environment variable that holds the upstream. */
  String env() default "";

  /**
   * Returns the name of a field of the test class that holds the upstream: an {@code int} port, a
   * {@code String}, {@code URI}, {@code URL}, {@code InetSocketAddress}, {@code ServerSocket},
   * {@code PortReservation}, another {@code LocalProxy}, or any object with a {@code getPort()},
   * {@code port()}, {@code getLocalPort()} or {@code getAddress()} method (a server).
   */
  String field() default "";

  /** Returns the label of the proxy in logs; defaults to the field or parameter name. */
  String name() default "";

  /**
   * Returns whether the test fails when no connection went through the proxy, which catches a
   * client that still talks to the upstream directly and so tests nothing.
   */
  boolean requireTraffic() default false;
}
