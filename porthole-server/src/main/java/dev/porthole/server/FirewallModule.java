package dev.porthole.server;

import dev.porthole.checks.CommandRunner;
import dev.porthole.firewall.FirewallException;
import dev.porthole.firewall.FirewallLedger;
import dev.porthole.firewall.NetAdmin;
import dev.porthole.firewall.RuleTimers;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Returns the firewall routes, where the daemon holds the timers of {@code porthole firewall
 * allow|block}: {@code POST /api/firewall} adds a rule, {@code GET /api/firewall} lists porthole's
 * rules in force with the time left, {@code DELETE /api/firewall/{id}} removes one now.
 *
 * <p>At start it re-arms the timed rules a crashed daemon left with time to go (before {@link
 * FirewallAtStart} cleans the expired ones); at stop it removes the timed rules it holds and leaves
 * kept ones.
 */
final class FirewallModule implements ApiModule {
  private static final Logger LOG = LoggerFactory.getLogger(FirewallModule.class);

  private final FirewallLedger ledger;
  private final RuleTimers timers;

  FirewallModule(DaemonServices services) {
    this.ledger = new FirewallLedger(services.store());
    this.timers = new RuleTimers(ledger, CommandRunner.system(Duration.ofSeconds(15)));
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/firewall", this::add);
    routes.get("/api/firewall", this::list);
    routes.delete("/api/firewall/{id}", this::remove);
  }

  @Override
  public void start() {
    try {
      if (!ledger.open().isEmpty() && NetAdmin.permitted()) {
        int n = timers.rearm(System.currentTimeMillis());
        if (n > 0) {
          LOG.info("firewall: re-armed {} timed rules", n);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("firewall: re-arming the timed rules failed: {}", e.getMessage());
    }
  }

  private void add(Context ctx) {
    FirewallRequest req = FirewallRequest.parse(ctx.body());
    requireNetAdmin();
    RuleTimers.Added added;
    try {
      added = timers.add(req.rule(), req.hold());
    } catch (FirewallException e) {
      throw new ApiError(503, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", added.rule().id());
    body.put("rule", added.rule().describe());
    body.put("filter", added.filter());
    body.put("expiresMs", added.expiresMs());
    ctx.status(201).contentType("application/json").result(Json.write(body));
  }

  private void list(Context ctx) {
    long now = System.currentTimeMillis();
    List<Map<String, Object>> rules =
        ledger.open().stream().map(e -> FirewallModule.row(e, now)).toList();
    ctx.contentType("application/json").result(Json.write(Map.of("rules", rules)));
  }

  private static Map<String, Object> row(FirewallLedger.Entry e, long now) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", e.rule().id());
    r.put("rule", e.rule().describe());
    r.put("verdict", e.rule().verdict());
    r.put("protocol", e.rule().protocol());
    r.put("port", e.rule().port());
    r.put("interface", e.rule().iface());
    r.put("filter", e.filter());
    r.put("reason", e.reason());
    r.put("expiresMs", e.expiresMs());
    r.put("leftMs", e.expiresMs() == null ? null : Math.max(0, e.expiresMs() - now));
    r.put("holderPid", e.ownerPid());
    r.put("holderAlive", FirewallLedger.ownerAlive(e));
    return r;
  }

  private void remove(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[0-9a-f]{8}")) {
      throw ApiError.badRequest("id: '" + id + "' (expected: 8 hex digits)");
    }
    requireNetAdmin();
    FirewallLedger.Entry e;
    try {
      e =
          timers
              .remove(id)
              .orElseThrow(() -> ApiError.notFound("no rule porthole:" + id + " in force"));
    } catch (FirewallException ex) {
      throw new ApiError(503, ex.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("rule", e.rule().describe());
    body.put("removed", true);
    ctx.contentType("application/json").result(Json.write(body));
  }

  private static void requireNetAdmin() {
    if (!NetAdmin.permitted()) {
      throw ApiError.forbidden(
          "changing packet filter rules needs root or CAP_NET_ADMIN: run the daemon as root");
    }
  }

  @Override
  public void close() {
    timers.close();
  }
}
