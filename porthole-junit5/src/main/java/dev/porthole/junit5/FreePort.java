package dev.porthole.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a free loopback TCP port into a field or parameter that no other test of this JVM or of
 * another JVM on the machine gets while the test runs (see {@link dev.porthole.testing.Ports}).
 *
 * <ul>
 *   <li>{@code int} or {@code Integer}: the port, free now and locked across JVMs until the test
 *       ends.
 *   <li>{@link dev.porthole.testing.PortReservation}: also bound on 127.0.0.1 and ::1 until you
 *       call {@code release()} just before the code under test binds it, so no other process can
 *       take it meanwhile.
 * </ul>
 *
 * <pre>{@code
 * @Test
 * void serverStarts(@FreePort PortReservation port) {
 *   server.start(port.release());
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PortholeExtension.class)
public @interface FreePort {}
