package dev.porthole.server;

import dev.porthole.build.BuildInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Returns {@code GET /api/status}: what this daemon is, where it keeps data, since when. */
final class StatusModule implements ApiModule {
  private final DaemonServices services;

  StatusModule(DaemonServices services) {
    this.services = services;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/status", this::status);
  }

  private void status(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "porthole");
    body.put("version", services.version());
    body.put("commit", BuildInfo.current().describeCommit());
    body.put("runtime", BuildInfo.runtime());
    body.put("pid", ProcessHandle.current().pid());
    body.put("dataDir", services.dataDir().toString());
    body.put("store", services.store().location());
    body.put("tokenRequired", services.token() != null);
    body.put("started", services.started().toString());
    body.put("uptimeSeconds", Duration.between(services.started(), Instant.now()).toSeconds());
    ctx.contentType("application/json").result(Json.write(body));
  }
}
