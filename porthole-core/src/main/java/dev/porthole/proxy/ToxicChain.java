package dev.porthole.proxy;

import dev.porthole.proxy.toxics.SharedState;
import dev.porthole.proxy.toxics.Toxic;
import dev.porthole.proxy.toxics.ToxicRegistry;
import dev.porthole.proxy.toxics.ToxicType;
import dev.porthole.sockets.Protocol;
import io.netty.channel.ChannelPipeline;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Returns the toxics of one link, installed as handlers between the link's {@link LinkFlow} and its
 * {@link Relay}. {@link #apply} diffs a new list by name: unchanged toxics keep their state, changed
 * ones restart (toxicity re-rolled), removed ones pass on what they hold.
 */
final class ToxicChain {
  static final String FLOW = "flow";

  private record Installed(ToxicSpec spec, Toxic handler) {}

  private final ChannelPipeline pipeline;
  private final Direction direction;
  private final LinkFlow flow;
  private final Protocol protocol;
  private final Function<ToxicSpec, SharedState> shared;
  private Map<String, Installed> installed = Map.of();

  ToxicChain(
      ChannelPipeline pipeline,
      Direction direction,
      LinkFlow flow,
      Protocol protocol,
      Function<ToxicSpec, SharedState> shared) {
    this.pipeline = pipeline;
    this.shared = shared;
    this.direction = direction;
    this.flow = flow;
    this.protocol = protocol;
  }

  /** Starts reading the link's source; its bytes go to {@code destination}. */
  void start(io.netty.channel.Channel destination) {
    flow.start(destination);
  }

  /** Re-checks whether the link's source may be read. */
  void update() {
    flow.update();
  }

  /** Returns whether no toxic sits on this link, so its bytes may be spliced. */
  boolean empty() {
    return installed.isEmpty();
  }

  LinkFlow flow() {
    return flow;
  }

  /** Installs the toxics of {@code all} that act on this link's direction, in order. */
  void apply(List<ToxicSpec> all) {
    if (all.isEmpty() && installed.isEmpty()) {
      flow.limit(0); // the common case: no toxic before or after, and nothing to allocate
      return;
    }
    Map<String, Installed> next = new LinkedHashMap<>();
    Map<String, Installed> previous = installed;
    for (Installed old : previous.values()) {
      ToxicSpec wanted = find(all, old.spec().name());
      if (wanted == null || !wanted.equals(old.spec())) {
        pipeline.remove(old.handler());
      }
    }
    String before = FLOW;
    int readAhead = 0;
    for (ToxicSpec spec : all) {
      if (spec.direction() != direction || type(spec, protocol).atConnect()) {
        continue;
      }
      Installed old = previous.get(spec.name());
      Installed now;
      if (old != null && old.spec().equals(spec)) {
        now = old;
      } else {
        Toxic toxic = create(spec);
        if (old != null) {
          toxic.restartFrom(old.handler());
        }
        now = new Installed(spec, toxic);
        pipeline.addAfter(before, handlerName(spec), toxic);
      }
      next.put(spec.name(), now);
      before = handlerName(spec);
      if (now.handler().isActive()) {
        readAhead = Math.max(readAhead, now.handler().readAhead());
      }
    }
    installed = next;
    flow.limit(readAhead);
  }

  private Toxic create(ToxicSpec spec) {
    ToxicType type = type(spec, protocol);
    boolean active = ThreadLocalRandom.current().nextDouble() < spec.toxicity();
    return type.create(spec.attributes(), shared.apply(spec)).active(active);
  }

  /** Returns the type of {@code spec}, checked against the protocol and its attributes. */
  static ToxicType type(ToxicSpec spec, Protocol protocol) {
    ToxicType type =
        ToxicRegistry.standard()
            .type(spec.type())
            .orElseThrow(
                () -> new IllegalArgumentException("invalid toxic type: " + spec.type()));
    if (!type.supports(protocol)) {
      throw new IllegalArgumentException(
          spec.type() + ": not supported on " + protocol.label() + " proxies");
    }
    type.validate(spec.attributes());
    return type;
  }

  private static ToxicSpec find(List<ToxicSpec> all, String name) {
    for (ToxicSpec spec : all) {
      if (spec.name().equals(name)) {
        return spec;
      }
    }
    return null;
  }

  private static String handlerName(ToxicSpec spec) {
    return "toxic:" + spec.name();
  }
}
