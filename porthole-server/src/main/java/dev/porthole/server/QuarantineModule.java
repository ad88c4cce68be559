package dev.porthole.server;

import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.NetAdmin;
import dev.porthole.quarantine.Quarantine;
import dev.porthole.quarantine.QuarantineStore;
import dev.porthole.quarantine.Quarantiner;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Returns the quarantine routes the dashboard's Quarantine view uses: {@code GET /api/quarantines}
 * lists the quarantines in force (by {@code porthole quarantine} or the watch's policy), {@code
 * POST /api/quarantines/{id}/release} undoes one.
 *
 * <p>A release is destructive in its own way (it lets a process the user froze run again), so,
 * like the dashboard's kill, its body must name the process: {@code {"pid": N}}, the quarantined
 * pid; anything else is refused. Both routes run behind the daemon's Host/Origin/token guard.
 */
final class QuarantineModule implements ApiModule {
  private final QuarantineStore quarantines;
  private final Quarantiner quarantiner;

  QuarantineModule(DaemonServices services) {
    this.quarantines = new QuarantineStore(services.store());
    this.quarantiner = new Quarantiner(services.store());
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/api/quarantines",
        ctx -> ctx.contentType("application/json").result(Json.write(quarantines.open())));
    routes.post("/api/quarantines/{id}/release", this::release);
  }

  private void release(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[0-9a-f]{8}")) {
      throw ApiError.badRequest("id: '" + id + "' (expected: 8 hex digits)");
    }
    int pid =
        PidField.of(
            RequestBodies.parse(RequestBodies.text(ctx)), " (the quarantined process, to confirm)");
    Quarantine q =
        quarantines.find(id).orElseThrow(() -> ApiError.notFound("no quarantine " + id));
    if (q.releasedMs() != null) {
      throw ApiError.conflict("quarantine " + id + " was already released");
    }
    if (pid != q.pid()) {
      throw ApiError.conflict(
          "pid " + pid + " is not quarantine " + id + "'s process (pid " + q.pid() + ")");
    }
    if (!q.ruleIds().isEmpty() && !NetAdmin.permitted()) {
      throw ApiError.forbidden(
          "removing its DROP rules needs root or CAP_NET_ADMIN: run the daemon as root");
    }
    String note;
    try {
      note = quarantiner.release(q);
    } catch (FirewallException e) {
      throw new ApiError(503, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("pid", q.pid());
    body.put("released", true);
    body.put("note", note);
    body.put("unblocked", q.ports());
    ctx.contentType("application/json").result(Json.write(body));
  }
}
