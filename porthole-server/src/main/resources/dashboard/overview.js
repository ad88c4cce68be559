// The Overview view: counts, warnings and the connections/throughput chart.
import { $, esc, fmtRate, polyline, registerView, state } from './core.js';

function renderOverview() {
  const exposed = state.ports.filter((p) => p.exposed);
  const violations = state.recentEvents.filter((e) => e.type === 'violation');
  const toxic = state.proxies.filter((p) => p.toxics.length > 0);
  const open = state.proxies.reduce((n, p) => n + p.stats.connectionsOpen, 0);
  const card = (label, n, warn) => `<div class="card${warn ? ' warn' : ''}"><div class="n">${n}</div>${esc(label)}</div>`;
  $('#overview-cards').innerHTML = [
    card('listeners', state.ports.length),
    card('exposed beyond loopback', exposed.length, exposed.length > 0),
    card('policy violations (recent)', violations.length, violations.length > 0),
    card('proxies', state.proxies.length),
    card('proxies with toxics', toxic.length, toxic.length > 0),
    card('open proxy connections', open),
  ].join('');
  const warnings = [];
  for (const p of exposed.slice(0, 20)) {
    warnings.push(`<li><span class="badge warn">ALL INTERFACES</span> ${esc(p.protocol)} ${esc(p.address)}:${p.port}
      held by ${esc(p.process || '?')}${p.pid ? ` (pid ${p.pid})` : ''} is reachable from the network</li>`);
  }
  for (const e of violations.slice(0, 10)) warnings.push(`<li><span class="badge bad">violation</span> ${esc(e.message)}</li>`);
  for (const p of toxic) {
    warnings.push(`<li><span class="badge warn">toxics</span> proxy ${esc(p.name)} has ${p.toxics.length} active:
      ${p.toxics.map((t) => esc(`${t.type} (${t.stream})`)).join(', ')}</li>`);
  }
  $('#overview-warnings').innerHTML = warnings.length ? warnings.join('') : '<li class="muted">Nothing to worry about.</li>';
  drawChart();
}


function drawChart() {
  const s = state.samples;
  const conns = s.map((x) => x.connections);
  const rates = s.map((x) => x.bytesPerSecond);
  const maxConn = Math.max(1, ...conns);
  const maxRate = Math.max(1, ...rates);
  $('#overview-chart').innerHTML = polyline(conns, 600, 160, maxConn, 'line-conn') + polyline(rates, 600, 160, maxRate, 'line-rate');
  $('#chart-max').textContent = s.length
    ? `(peak ${Math.max(0, ...conns)} connections, ${fmtRate(Math.max(0, ...rates))}; last ${s.length} samples)` : '(waiting for samples)';
}

registerView('overview', renderOverview);
