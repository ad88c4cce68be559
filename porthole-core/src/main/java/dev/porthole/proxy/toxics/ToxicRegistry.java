package dev.porthole.proxy.toxics;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Returns the toxic types porthole knows, by name. */
public final class ToxicRegistry {
  private static final ToxicRegistry STANDARD =
      new ToxicRegistry(
          Latency.TYPE,
          Bandwidth.TYPE,
          SlowClose.TYPE,
          Timeout.TYPE,
          ResetPeer.TYPE,
          Slicer.TYPE,
          LimitData.TYPE,
          Noop.TYPE,
          Loss.TYPE,
          LimitTime.TYPE,
          SharedBandwidth.TYPE,
          Refuse.TYPE,
          ConnectDelay.TYPE,
          BlackHole.TYPE,
          Duplicate.TYPE,
          HttpError.TYPE,
          HttpDrop.TYPE,
          HttpDelay.TYPE,
          HttpAbort.TYPE);

  private final Map<String, ToxicType> types = new LinkedHashMap<>();

  private ToxicRegistry(ToxicType... types) {
    for (ToxicType type : types) {
      this.types.put(type.name(), type);
    }
  }

  /** Returns the registry of every built-in type: Toxiproxy's first, then porthole's own. */
  public static ToxicRegistry standard() {
    return STANDARD;
  }

  /** Returns the type called {@code name}, if any. */
  public Optional<ToxicType> type(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** Returns every type in registration order. */
  public Collection<ToxicType> types() {
    return Collections.unmodifiableCollection(types.values());
  }
}
