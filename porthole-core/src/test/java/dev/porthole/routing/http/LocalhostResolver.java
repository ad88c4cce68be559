package dev.porthole.routing.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves {@code *.localhost} to 127.0.0.1 in the test JVM, as browsers and systemd-resolved do
 * (this machine's glibc does not), and leaves every other name to the system resolver.
 */
public final class LocalhostResolver extends InetAddressResolverProvider {
  @Override
  public InetAddressResolver get(Configuration configuration) {
    InetAddressResolver system = configuration.builtinResolver();
    return new InetAddressResolver() {
      @Override
      public Stream<InetAddress> lookupByName(String host, LookupPolicy policy)
          throws UnknownHostException {
        if (host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
          return Stream.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
        }
        return system.lookupByName(host, policy);
      }

      @Override
      public String lookupByAddress(byte[] addr) throws UnknownHostException {
        return system.lookupByAddress(addr);
      }
    };
  }

  @Override
  public String name() {
    return "porthole-test-localhost";
  }
}
