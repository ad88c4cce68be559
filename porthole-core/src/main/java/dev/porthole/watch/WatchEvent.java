package dev.porthole.watch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.porthole.attribution.Origin;

/**
 * Returns one thing the watcher noticed, with everything needed to research it.
 *
 * @param id the store's id, 0 before the event is stored
 * @param time when it was noticed, ISO-8601 UTC
 * @param type what happened, as {@link EventType#label()}
 * @param alert true when the policy asks for alerts (webhook, desktop) and not only a record
 * @param protocol "tcp" or "udp"; null for policy events
 * @param port the port; 0 for policy events
 * @param process the process that holds (or held) the listener, when known
 * @param previous the process that held the port before, for {@code owner-changed}
 * @param message one sentence for people
 * @param action a command that acts on it ({@code porthole kill 8080}), or null
 * @param origin what really owns the listener (a container, VM, tunnel...), when known; stored
 *     with the event, so events read back from the store carry it too
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchEvent(
    long id,
    String time,
    String type,
    boolean alert,
    String protocol,
    String address,
    int port,
    String scope,
    ProcessDetails process,
    ProcessDetails previous,
    String message,
    String action,
    Origin origin) {

  /** Creates an event without an origin. */
  public WatchEvent(
      long id,
      String time,
      String type,
      boolean alert,
      String protocol,
      String address,
      int port,
      String scope,
      ProcessDetails process,
      ProcessDetails previous,
      String message,
      String action) {
    this(
        id, time, type, alert, protocol, address, port, scope, process, previous, message, action,
        null);
  }

  public WatchEvent {
    if (time == null || type == null || message == null) {
      throw new IllegalArgumentException("time, type, message: required");
    }
  }

  /** Returns the event's type. */
  public EventType eventType() {
    return EventType.fromLabel(type);
  }

  /** Returns this event as one line of JSON (the log's and {@code watch --json}'s format). */
  public String toJson() {
    return WatchStore.json(this);
  }

  /** Returns this event with the store's id. */
  public WatchEvent withId(long newId) {
    return new WatchEvent(
        newId, time, type, alert, protocol, address, port, scope, process, previous, message,
        action, origin);
  }
}
