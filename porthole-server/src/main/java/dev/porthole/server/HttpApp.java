package dev.porthole.server;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import java.util.List;

/** Returns a started Javalin server with the guard, the modules' routes and the error format. */
final class HttpApp {
  private HttpApp() {}

  static Javalin start(
      String host, int port, SecurityGuard guard, StartupGate gate, List<ApiModule> modules) {
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.router.ignoreTrailingSlashes = false;
              config.http.prefer405over404 = true;
              HttpLimits.apply(config);
              config.routes.before(guard);
              config.routes.before(gate);
              for (ApiModule m : modules) {
                m.register(config.routes);
              }
              config.routes.exception(ApiError.class, ErrorResponses::apiError);
              config.routes.exception(Exception.class, ErrorResponses::unexpected);
              config.routes.error(404, ErrorResponses::notFound);
              config.routes.error(405, ErrorResponses::methodNotAllowed);
            });
    try {
      return app.start(host, port);
    } catch (JavalinBindException e) {
      throw new IllegalStateException(
          "cannot listen on "
              + url(host, port)
              + ": address already in use (another porthole up? --port 0 picks a free port)",
          e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen on " + url(host, port) + ": " + e.getMessage(), e);
    }
  }

  static String url(String host, int port) {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
