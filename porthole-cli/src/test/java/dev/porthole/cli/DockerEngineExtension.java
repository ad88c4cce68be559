package dev.porthole.cli;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the run's one {@link TestDockerEngine}: started on first use, kept in the root store,
 * and stopped by JUnit when the whole run ends (the store closes AutoCloseable values).
 */
final class DockerEngineExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DockerEngineExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDockerEngine.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .computeIfAbsent(
            "engine",
            k -> {
              try {
                return TestDockerEngine.start();
              } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            },
            TestDockerEngine.class);
  }
}
