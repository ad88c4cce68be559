package dev.porthole.junit5;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Returns the extension behind {@link ProxyTo} and {@link FreePort}: injects static fields before
 * all tests, instance fields before each test (before {@code @BeforeEach} methods), resolves
 * parameters, and checks {@code requireTraffic} after each test. Everything it creates lives in the
 * {@link ExtensionContext.Store} of the context it was made for, so JUnit closes it when that
 * context ends and parallel tests never share anything.
 */
final class PortholeExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  static {
    // Registered during discovery: build the engine while JUnit prepares the first test.
    dev.porthole.testing.LocalProxy.warmUp();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    inject(context, context.getRequiredTestClass(), null);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      inject(context, instance.getClass(), instance);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    checkTraffic(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    checkTraffic(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    return p.isAnnotated(ProxyTo.class) || p.isAnnotated(FreePort.class);
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    Parameter parameter = p.getParameter();
    String where =
        "parameter "
            + (parameter.isNamePresent() ? parameter.getName() : "#" + p.getIndex())
            + " of "
            + p.getDeclaringExecutable().getDeclaringClass().getSimpleName()
            + "."
            + p.getDeclaringExecutable().getName();
    Object instance = p.getTarget().orElse(null);
    Class<?> testClass = p.getDeclaringExecutable().getDeclaringClass();
    return Resources.create(
        context,
        p.findAnnotation(ProxyTo.class).orElse(null),
        p.findAnnotation(FreePort.class).orElse(null),
        parameter.getType(),
        parameter.getName(),
        where,
        name -> read(context, testClass, instance, name, where, new HashMap<>(), new HashSet<>()));
  }

  /** Injects the annotated static ({@code instance} null) or instance fields of {@code type}. */
  private static void inject(ExtensionContext context, Class<?> type, Object instance) {
    // Declarative registration can reach one class through several fields: inject once.
    String key = "injected:" + type.getName() + "@" + System.identityHashCode(instance);
    ExtensionContext.Store store = context.getStore(Resources.NAMESPACE);
    if (store.get(key) != null) {
      return;
    }
    store.put(key, Boolean.TRUE);
    Map<Field, Object> done = new HashMap<>();
    for (Field f : annotatedFields(type, instance == null)) {
      inject(context, type, instance, f, done, new HashSet<>());
    }
  }

  private static Object inject(
      ExtensionContext context,
      Class<?> type,
      Object instance,
      Field f,
      Map<Field, Object> done,
      Set<Field> inProgress) {
    if (done.containsKey(f)) {
      return done.get(f);
    }
    String where = "field " + f.getDeclaringClass().getSimpleName() + "." + f.getName();
    if (Modifier.isFinal(f.getModifiers())) {
      throw new ExtensionConfigurationException(where + " is final; remove final so it can be set");
    }
    if (!inProgress.add(f)) {
      throw UpstreamSource.fail(where, "its upstream field refers back to it (a cycle)");
    }
    Object value =
        Resources.create(
            context,
            f.getAnnotation(ProxyTo.class),
            f.getAnnotation(FreePort.class),
            f.getType(),
            f.getName(),
            where,
            name -> read(context, type, instance, name, where, done, inProgress));
    try {
      f.setAccessible(true);
      f.set(instance, value);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(where + " cannot be set: " + e.getMessage(), e);
    }
    done.put(f, value);
    return value;
  }

  /** Returns the value of field {@code name}, injecting it first if it is annotated and pending. */
  private static Object read(
      ExtensionContext context,
      Class<?> type,
      Object instance,
      String name,
      String where,
      Map<Field, Object> done,
      Set<Field> inProgress) {
    Field f = UpstreamSource.findField(type, name);
    if (f == null) {
      throw UpstreamSource.fail(
          where, "field = \"" + name + "\": " + type.getSimpleName() + " has no such field");
    }
    boolean isStatic = Modifier.isStatic(f.getModifiers());
    if (!isStatic && !f.getDeclaringClass().isInstance(instance)) {
      throw UpstreamSource.fail(
          where,
          "field " + name + " is not static, so a static proxy cannot use it; make it static");
    }
    if (ours(f) && !done.containsKey(f) && isStatic == (instance == null)) {
      return inject(context, type, instance, f, done, inProgress);
    }
    try {
      f.setAccessible(true);
      return f.get(isStatic ? null : instance);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw UpstreamSource.fail(where, "field " + name + " cannot be read: " + e.getMessage());
    }
  }

  private static boolean ours(Field f) {
    return f.isAnnotationPresent(ProxyTo.class) || f.isAnnotationPresent(FreePort.class);
  }

  /** Returns the annotated fields of {@code type} and its superclasses, superclass first. */
  private static List<Field> annotatedFields(Class<?> type, boolean statics) {
    List<Field> out = new ArrayList<>();
    for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
      List<Field> level = new ArrayList<>();
      for (Field f : t.getDeclaredFields()) {
        if (ours(f) && Modifier.isStatic(f.getModifiers()) == statics) {
          level.add(f);
        }
      }
      out.addAll(0, level);
    }
    return out;
  }

  private static void checkTraffic(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      return; // the test failed already: that failure says more
    }
    for (Resources.Guarded g : Resources.guarded(context)) {
      if (!g.proxy().counters().sawTraffic()) {
        throw new AssertionError(
            "@ProxyTo(requireTraffic = true) on "
                + g.where()
                + ": no connection went through the proxy; connect to "
                + g.proxy().hostPort()
                + " (proxy.port(), proxy.uri(...)) instead of the upstream "
                + g.proxy().upstream());
      }
    }
  }
}
