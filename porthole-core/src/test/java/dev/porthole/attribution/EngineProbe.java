package dev.porthole.attribution;

import java.nio.file.Path;
import java.time.Duration;

/** Asks the engine on {@code args[0]} for its containers and prints the count or the reason. */
public final class EngineProbe {
  private EngineProbe() {}

  public static void main(String[] args) {
    try {
      System.out.println(
          DockerEngine.at(Path.of(args[0]), Duration.ofSeconds(2)).containers().size());
    } catch (EngineException e) {
      System.out.println(e.getMessage());
    }
  }
}
