import dev.porthole.capture.DecodeBenchSupport;

/**
 * What decoding costs per exchange on the side path, in-process: a wrk request and nginx's 612-byte
 * answer (one copy each, as the proxy hands them over), through porthole's framer ({@code
 * HttpDecoding}) and through Netty's decoders in EmbeddedChannels (the tests' {@code
 * NettyDecoding}, what capture used before), in alternating rounds on one thread. Prints CPU time
 * and heap allocated per exchange (com.sun.management.ThreadMXBean), per round and the medians.
 * Run: see docs/benchmarks.md (needs porthole-core's classes and test classes on the class path).
 */
public class DecodeBench {
  public static void main(String[] args) {
    int exchanges = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    DecodeBenchSupport.run(exchanges, rounds);
  }
}
