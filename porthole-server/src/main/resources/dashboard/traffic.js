// The Traffic view: the capture feed's requests and connections, live while the view is shown
// (/api/capture/events polled once a second from its cursor), filtered by proxy, method, path
// and status; a request's detail from its connection's record; per-proxy figures from /stats.
import { $, act, api, esc, fmtBytes, fmtRate, polyline, registerView, state } from './core.js';

const KEEP = 500; // events kept in the page, newest first
const HISTORY = 120; // stats samples kept per proxy (two minutes at one a second)
const traffic = { after: 0, items: [], stats: new Map(), timer: null, listSignature: '', polling: false };

async function poll() {
  if (state.view !== 'traffic') { clearInterval(traffic.timer); traffic.timer = null; return; }
  if (traffic.polling) return; // a slow daemon: skip a tick rather than pile requests up
  traffic.polling = true;
  try {
    const page = await api('GET', `/api/capture/events?after=${traffic.after}&limit=1000`);
    traffic.after = page.next;
    if (page.events.length) traffic.items = page.events.reverse().concat(traffic.items).slice(0, KEEP);
    await Promise.all(state.proxies.map(async (p) => {
      const s = await api('GET', `/api/proxies/${encodeURIComponent(p.name)}/stats`).catch(() => null);
      if (!s) return;
      const list = traffic.stats.get(p.name) || [];
      list.push(s.total);
      if (list.length > HISTORY) list.shift();
      traffic.stats.set(p.name, list);
    }));
    renderTraffic();
  } catch (e) {
    // The feed shows the daemon as offline; the next tick tries again.
  } finally {
    traffic.polling = false;
  }
}

function matches(e) {
  const proxy = $('#traffic-proxy').value;
  const method = $('#traffic-method').value.trim().toUpperCase();
  const path = $('#traffic-path').value.trim();
  const status = $('#traffic-status').value.trim().toLowerCase();
  if (proxy && e.proxy !== proxy) return false;
  if (method && e.method !== method) return false;
  if (path && !(e.target || '').includes(path)) return false;
  if (status) {
    if (e.type !== 'request') return false;
    const s = String(e.status);
    if (/^[1-5]xx$/.test(status) ? s[0] !== status[0] : !s.startsWith(status)) return false;
  }
  return true;
}

function statusBadge(e) {
  if (e.type === 'frame') return `<span class="badge">${e.direction === 'send' ? 'sent' : 'received'}</span>`;
  if (e.type !== 'request') return `<span class="badge">${esc(e.end || e.kind)}</span>`;
  if (!e.status) return '<span class="badge bad">no answer</span>';
  return `<span class="badge ${e.status >= 500 ? 'bad' : e.status >= 400 ? 'warn' : 'loopback'}">${e.status}</span>`;
}

const fmtMillis = (ms) => (ms < 0 ? '…' : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`);

function rowHtml(e) {
  const what = e.type === 'request' ? `${esc(e.method)} <span class="mono">${esc(e.target)}</span>`
    : e.type === 'frame' ? `ws ${e.direction === 'send' ? '→' : '←'} ${esc(e.method)} <span class="mono">${esc((e.target || '').slice(0, 80))}</span>`
      : `<span class="muted">connection (${esc(e.kind)})</span>`;
  return `<tr data-seq="${e.seq}" data-type="${esc(e.type)}"><td>${esc(new Date(e.timeMillis).toLocaleTimeString())}</td>
    <td>${esc(e.proxy)}</td><td>${what}</td><td>${statusBadge(e)}</td>
    <td class="num">${fmtMillis(e.millis)}</td><td class="num">${fmtBytes(e.bytes)}</td>
    <td class="mono">${esc(e.client)}</td>
    <td><button type="button" class="traffic-open" aria-label="Detail of ${esc(e.type)} ${e.seq}">Detail</button></td></tr>`;
}

function renderList() {
  const shown = traffic.items.filter(matches);
  const signature = `${shown.length}:${shown.length ? shown[0].seq : 0}:${shown.length ? shown[shown.length - 1].seq : 0}`;
  $('#traffic-count').textContent = `(${shown.length})`;
  if (signature === traffic.listSignature) return;
  traffic.listSignature = signature;
  $('#traffic-table tbody').innerHTML = shown.map(rowHtml).join('')
    || '<tr><td colspan="8" class="muted">No traffic yet: requests through a proxy show here as they finish.</td></tr>';
}

function renderFilters() {
  const select = $('#traffic-proxy');
  const names = state.proxies.map((p) => p.name);
  const have = Array.from(select.options).slice(1).map((o) => o.value);
  if (JSON.stringify(names) === JSON.stringify(have)) return;
  const current = select.value;
  select.innerHTML = '<option value="">any</option>' + names.map((n) => `<option>${esc(n)}</option>`).join('');
  select.value = names.includes(current) ? current : '';
}

function figureHtml(name) {
  const list = traffic.stats.get(name) || [];
  const last = list.length ? list[list.length - 1] : null;
  const chart = (key, cls) => polyline(list.map((x) => x[key]), 200, 40, Math.max(1, ...list.map((x) => x[key])), cls);
  const href = `/api/proxies/${encodeURIComponent(name)}/capture.har`;
  return `<div class="card" data-proxy="${esc(name)}"><strong>${esc(name)}</strong>
    <a href="${esc(href)}" download="${esc(name)}.har" class="har">HAR</a>
    <div class="muted" data-stat="figures">${last ? `${last.requestsPerSecond.toFixed(1)} req/s · p50 ${fmtMillis(last.p50Millis)}
      · p99 ${fmtMillis(last.p99Millis)} · ${fmtRate(Math.round(last.bytesPerSecond))} · ${last.requests} requests` : 'no figures yet'}</div>
    <svg class="spark" viewBox="0 0 200 40" preserveAspectRatio="none" role="img"
      aria-label="requests per second and p99 latency of ${esc(name)}, last ${list.length} seconds">
      ${chart('requestsPerSecond', 'line-conn')}${chart('p99Millis', 'line-rate')}</svg></div>`;
}

function renderTraffic() {
  if (!traffic.timer) { traffic.timer = setInterval(poll, 1000); poll(); }
  renderFilters();
  renderList();
  $('#traffic-figures').innerHTML = state.proxies.map((p) => figureHtml(p.name)).join('')
    || '<p class="muted">No proxies: traffic is recorded through porthole proxies.</p>';
}

// ---- the detail dialog -------------------------------------------------------------------------

function bodyPreview(base64, size) {
  if (!size) return '<p class="muted">(no body)</p>';
  if (!base64) return `<p class="muted">${fmtBytes(size)}, not kept</p>`;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.slice(0, 4096));
  return `<p class="muted">${fmtBytes(size)}${bytes.length < size ? `, first ${fmtBytes(bytes.length)} kept` : ''}</p><pre>${esc(text)}</pre>`;
}

const headersHtml = (list) => (list && list.length
  ? `<dl class="kv">${list.map((h) => `<dt>${esc(h.name)}</dt><dd>${esc(h.value)}</dd>`).join('')}</dl>`
  : '<p class="muted">(none)</p>');

function timelineHtml(record, x) {
  const steps = [['accept', 0], ['dial', record.dialMicros]];
  if (x) steps.push(['request', x.startMicros], ['request sent', x.sentMicros], ['first byte', x.firstByteMicros], ['end', x.endMicros]);
  else steps.push(['first byte', record.firstByteMicros]);
  return `<ol class="timeline">${steps.map(([label, us]) => `<li data-step="${esc(label)}"><span>${esc(label)}</span>
    <span class="num">${us === undefined || us < 0 ? '—' : `+${(us / 1000).toFixed(2)} ms`}</span></li>`).join('')}</ol>`;
}

/** Returns a WebSocket connection's frames as a table (direction, time, opcode, size, preview). */
function framesHtml(record) {
  const frames = record.frames || [];
  if (!frames.length) return '';
  const rows = frames.map((f) => `<tr><td>${f.side === 'CLIENT' ? '→ sent' : '← received'}</td>
    <td class="num">+${(f.micros / 1000).toFixed(2)} ms</td><td>${esc(f.opcode === 1 ? 'text' : f.opcode === 2 ? 'binary' : f.opcode === 8 ? 'close' : f.opcode === 9 ? 'ping' : f.opcode === 10 ? 'pong' : `op ${f.opcode}`)}</td>
    <td class="num">${fmtBytes(f.size)}</td><td class="mono">${esc(f.text ? f.data : `base64 ${f.data}`)}</td></tr>`).join('');
  return `<h3>WebSocket frames (${frames.length})</h3><table class="frames"><thead><tr><th>Direction</th><th>At</th>
    <th>Opcode</th><th>Size</th><th>Preview</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const stoppedHtml = (record) => (record.decodingStopped
  ? `<p class="muted">Decoding stopped: ${esc(record.decodingStopped)}</p>` : '');

/** Returns the exchange of a connection that the feed's request event describes. */
function exchangeOf(record, e) {
  const same = (record.exchanges || []).filter((x) => x.method === e.method && x.target === e.target);
  const at = (x) => Math.abs(record.openedMillis + x.startMicros / 1000 - e.timeMillis);
  return same.sort((a, b) => at(a) - at(b))[0] || null;
}

async function openDetail(seq) {
  const e = traffic.items.find((x) => x.seq === seq);
  if (!e) return;
  const title = e.type === 'request' ? `${e.method} ${e.target} → ${e.status || 'no answer'}`
    : e.type === 'frame' ? `WebSocket frames of connection ${e.connection}` : `Connection ${e.connection}`;
  $('#traffic-dialog-title').textContent = title;
  $('#traffic-detail').innerHTML = '<p class="muted">Loading…</p>';
  $('#traffic-dialog').showModal();
  await act(async () => {
    const list = await api('GET', `/api/proxies/${encodeURIComponent(e.proxy)}/capture?connection=${e.connection}`);
    const record = list[0];
    const head = `<dl class="kv"><dt>Proxy</dt><dd>${esc(e.proxy)}</dd><dt>Client</dt><dd>${esc(e.client)}</dd>
      <dt>Connection</dt><dd>${e.connection}</dd><dt>Duration</dt><dd>${fmtMillis(e.millis)}</dd></dl>`;
    if (!record) {
      $('#traffic-detail').innerHTML = `${head}<p class="muted">The connection is still open: its full record
        (headers, bodies, timeline) is written when it closes.</p>`;
      return;
    }
    const x = e.type === 'request' ? exchangeOf(record, e) : null;
    $('#traffic-detail').innerHTML = `${head}<h3>Timeline</h3>${timelineHtml(record, x)}${x ? `
      <h3>Request headers</h3>${headersHtml(x.requestHeaders)}<h3>Request body</h3>${bodyPreview(x.requestBody, x.requestBodySize)}
      <h3>Response headers</h3>${headersHtml(x.responseHeaders)}<h3>Response body</h3>${bodyPreview(x.responseBody, x.responseBodySize)}`
      : `<p>${(record.exchanges || []).length} HTTP requests, ${fmtBytes(record.bytesUp)} up, ${fmtBytes(record.bytesDown)} down, ended: ${esc(record.end)}</p>`}
      ${stoppedHtml(record)}${framesHtml(record)}`;
  });
}

/** Wires the view's controls. */
export function initTraffic() {
  $('#traffic-filters').addEventListener('input', () => { traffic.listSignature = ''; renderList(); });
  $('#traffic-filters').addEventListener('submit', (e) => e.preventDefault());
  $('#traffic-table').addEventListener('click', (e) => {
    const b = e.target.closest('button.traffic-open');
    if (b) openDetail(Number(b.closest('tr').dataset.seq));
  });
}

registerView('traffic', renderTraffic);
