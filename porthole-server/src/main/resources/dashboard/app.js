// porthole dashboard: plain modern JavaScript, no build step, no network beyond the daemon.
// State arrives over Server-Sent Events (/api/dashboard/stream); changes go through the same
// JSON API the CLI uses (/api/proxies…), so the page shows the API's own error messages.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (v) => (v === null || v === undefined ? '' : String(v).replace(/[&<>"']/g, (c) => ESC[c]));

const state = {
  view: 'overview', ports: [], commands: {}, recentEvents: [], proxies: [], samples: [], events: [], types: [],
  portLimit: 200, selectedProxy: null, proxySignature: '', toxicSignature: '', editing: null, connected: false,
};

// Units of the Toxiproxy attributes, for the toxic forms' labels.
const UNITS = {
  latency: 'ms', jitter: 'ms', rate: 'KB/s', delay: 'ms', timeout: 'ms', average_size: 'bytes',
  size_variation: 'bytes', bytes: 'bytes',
};
const unitOf = (type, attr) => (type === 'slicer' && attr === 'delay' ? 'µs' : UNITS[attr] || '');

function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
const fmtRate = (n) => `${fmtBytes(n)}/s`;

// ---- API calls: token, errors --------------------------------------------------------------

const tokenKey = 'porthole.token';
let tokenRequired = false;

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = localStorage.getItem(tokenKey);
  if (token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new Error('the daemon is not answering');
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    const message = data && data.error ? data.error : `${res.status} ${res.statusText}`;
    if (res.status === 403 && /token/.test(message)) {
      localStorage.removeItem(tokenKey);
      askToken();
    }
    throw new Error(message);
  }
  return data;
}

function showError(message) {
  $('#error-text').textContent = `Error: ${message}`;
  $('#error').hidden = false;
}
function clearError() { $('#error').hidden = true; }

/** Runs an action from a button or form, showing its error, and returns whether it worked. */
async function act(fn) {
  clearError();
  try { await fn(); return true; } catch (e) { showError(e.message); return false; }
}

function confirmAction(text) {
  const dialog = $('#confirm-dialog');
  $('#confirm-text').textContent = text;
  dialog.returnValue = 'cancel';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

function askToken() {
  const dialog = $('#token-dialog');
  if (!dialog.open) dialog.showModal();
}

// ---- Live feed -------------------------------------------------------------------------------

let source = null;
let retryTimer = null;

function connect() {
  if (source) source.close();
  // EventSource cannot send headers: the token goes in the query, for this one route only.
  const token = localStorage.getItem(tokenKey);
  source = new EventSource('/api/dashboard/stream' + (token ? `?token=${encodeURIComponent(token)}` : ''));
  source.addEventListener('open', () => setConnected(true));
  source.addEventListener('error', () => {
    setConnected(false);
    // A closed source (an HTTP error while the daemon restarts) does not retry by itself.
    if (source.readyState === EventSource.CLOSED && !retryTimer) {
      retryTimer = setTimeout(() => { retryTimer = null; connect(); }, 1500);
    }
  });
  source.addEventListener('hello', (e) => {
    if (firstRender) performance.mark('porthole:hello');
    const hello = JSON.parse(e.data);
    state.ports = hello.ports.rows;
    state.commands = hello.ports.commands;
    state.proxies = hello.proxies;
    state.samples = hello.samples;
    setConnected(true);
    loadEvents();
    api('GET', '/api/dashboard/events?type=violation&limit=500')
      .then((list) => { state.recentEvents = list; schedule(); }, () => {});
    loadTypes();
    schedule();
  });
  source.addEventListener('ports', (e) => {
    const ports = JSON.parse(e.data);
    state.ports = ports.rows;
    state.commands = ports.commands;
    if (state.view !== 'proxies' && state.view !== 'events') schedule();
  });
  source.addEventListener('proxies', (e) => {
    state.proxies = JSON.parse(e.data);
    if (state.view === 'proxies' || state.view === 'overview') schedule();
  });
  source.addEventListener('sample', (e) => {
    state.samples.push(JSON.parse(e.data));
    if (state.samples.length > 300) state.samples.shift();
    if (state.view === 'overview') schedule();
  });
  source.addEventListener('events', (e) => {
    const all = JSON.parse(e.data);
    state.recentEvents = all.filter((x) => x.type === 'violation').concat(state.recentEvents).slice(0, 500);
    state.events = all.filter(eventMatches).concat(state.events).slice(0, 500);
    if (state.view === 'events' || state.view === 'overview') schedule();
  });
}

function setConnected(on) {
  state.connected = on;
  const pill = $('#live-state');
  pill.textContent = on ? 'live' : 'offline';
  pill.className = `pill ${on ? 'live' : 'down'}`;
  $('#offline').hidden = on;
  document.body.dataset.connected = on;
}

// Coalesces bursts of updates into one render per animation frame.
let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}

// The last render times in ms, for bench/dashboard (window.porthole.renders); the first render
// with the daemon's data is marked 'porthole:first-render' in the Performance timeline.
window.porthole = { renders: [] };
let firstRender = true;

function render() {
  const t0 = performance.now();
  ({ overview: renderOverview, ports: renderPorts, proxies: renderProxies, events: renderEvents })[state.view]();
  $('#ports-count').textContent = `(${state.ports.length})`;
  $('#proxies-count').textContent = `(${state.proxies.length})`;
  const renders = window.porthole.renders;
  renders.push(performance.now() - t0);
  if (renders.length > 500) renders.shift();
  if (firstRender && state.connected) {
    firstRender = false;
    performance.mark('porthole:first-render', { detail: { view: state.view, ports: state.ports.length } });
  }
}

// ---- Router ----------------------------------------------------------------------------------

function route() {
  const view = (location.hash || '#overview').slice(1);
  state.view = ['overview', 'ports', 'proxies', 'events'].includes(view) ? view : 'overview';
  for (const s of $$('main > section')) s.hidden = s.dataset.view !== state.view;
  for (const a of $$('nav a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `porthole · ${state.view}`;
  render();
}

// ---- Overview --------------------------------------------------------------------------------

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

function polyline(values, width, height, max, cls) {
  if (values.length < 2) return '';
  const step = width / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return `<polyline class="${cls}" points="${pts.join(' ')}"/>`;
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

// ---- Ports -----------------------------------------------------------------------------------

function renderPorts() {
  const q = $('#ports-filter').value.trim().toLowerCase();
  const scope = $('#ports-scope').value;
  const proto = $('#ports-protocol').value;
  const sort = $('#ports-sort').value;
  let rows = state.ports.filter((p) => (!scope || p.scope === scope) && (!proto || p.protocol === proto));
  if (q) {
    rows = rows.filter((p) => [p.port, p.address, p.process, p.user, p.service, state.commands[p.pid], p.pid]
      .some((v) => v !== null && v !== undefined && String(v).toLowerCase().includes(q)));
  }
  if (sort !== 'port') {
    rows = rows.slice().sort((a, b) => String(a[sort] || '~').localeCompare(String(b[sort] || '~')) || a.port - b.port);
  }
  $('#ports-shown').textContent = rows.length > state.portLimit
    ? `Showing ${state.portLimit} of ${rows.length}: refine the filter, or` : '';
  $('#ports-more').hidden = rows.length <= state.portLimit;
  $('#ports-more').textContent = `show all ${rows.length}`;
  updateRows(rows.slice(0, state.portLimit));
}

const portKey = (p) => `${p.protocol} ${p.address} ${p.port}`;

function portRowHtml(p) {
  return `<tr data-port="${p.port}" data-protocol="${p.protocol}">
    <td class="num"><button type="button" class="link port-open" data-port="${p.port}" aria-label="Details of port ${p.port}">${p.port}</button></td>
    <td>${p.protocol}</td><td class="mono">${esc(p.address)}</td>
    <td><span class="badge ${p.scope}">${p.scope === 'all' ? 'ALL INTERFACES' : esc(p.scope)}</span></td>
    <td>${p.class}</td><td>${esc(p.service || '')}</td>
    <td title="${esc(state.commands[p.pid] || '')}">${esc(p.process || '?')}</td><td class="num">${p.pid || ''}</td><td>${esc(p.user || '')}</td></tr>`;
}

// Live updates touch only the rows that changed: a listener opening among 1,000 costs one row,
// and keyboard focus stays where it was.
const rowCache = new Map(); // key -> { sig, tr }
function updateRows(rows) {
  const fresh = [];
  const trs = rows.map((p) => {
    const sig = JSON.stringify(p);
    const cached = rowCache.get(portKey(p));
    if (cached && cached.sig === sig) return cached.tr;
    const entry = { sig, tr: null };
    fresh.push([p, entry]);
    rowCache.set(portKey(p), entry);
    return entry;
  });
  if (fresh.length) {
    const template = document.createElement('template');
    template.innerHTML = `<table><tbody>${fresh.map(([p]) => portRowHtml(p)).join('')}</tbody></table>`;
    const made = template.content.querySelectorAll('tr');
    fresh.forEach(([, entry], i) => { entry.tr = made[i]; });
  }
  const nodes = trs.map((t) => (t instanceof Element ? t : t.tr));
  const body = $('#ports-table tbody');
  const same = nodes.length === body.children.length && nodes.every((n, i) => body.children[i] === n);
  if (!same) {
    const focused = document.activeElement;
    if (nodes.length) body.replaceChildren(...nodes);
    else body.innerHTML = '<tr><td colspan="9" class="muted">No listener matches.</td></tr>';
    if (focused && !document.body.contains(focused) && focused.classList.contains('port-open')) {
      const again = $(`#ports-table button.port-open[data-port="${focused.dataset.port}"]`);
      if (again) again.focus();
    }
  }
  if (rowCache.size > 5000) rowCache.clear();
}

async function openPort(port) {
  const dialog = $('#port-dialog');
  $('#port-dialog-title').textContent = `Port ${port}`;
  $('#port-detail').innerHTML = '<p class="muted">Loading…</p>';
  if (!dialog.open) dialog.showModal();
  try {
    const detail = await api('GET', `/api/dashboard/ports/${port}`);
    $('#port-detail').innerHTML = portDetailHtml(detail);
  } catch (e) {
    $('#port-detail').innerHTML = `<p role="alert">Error: ${esc(e.message)}</p>`;
  }
}

function processHtml(p) {
  if (!p) return '<p class="muted">The owner cannot be read (another user\'s process; run the daemon as that user or root).</p>';
  const parents = (p.parents || []).map((x) => `${x.pid} ${esc(x.name)}`).join(' ← ');
  return `<dl class="kv"><dt>PID</dt><dd>${p.pid} (parent ${p.ppid})</dd><dt>Name</dt><dd>${esc(p.name)}</dd>
    <dt>User</dt><dd>${esc(p.user)} (uid ${p.uid})</dd><dt>Command</dt><dd>${esc(p.commandLine)}</dd>
    <dt>Executable</dt><dd>${esc(p.exe || '?')}</dd><dt>SHA-256</dt><dd>${esc(p.sha256 || '?')}</dd>
    <dt>Started</dt><dd>${esc(p.startTime || '?')}</dd><dt>Directory</dt><dd>${esc(p.cwd || '?')}</dd>
    <dt>Parents</dt><dd>${parents || '—'}</dd></dl>`;
}

function portDetailHtml(d) {
  const listeners = d.listeners.map((l) => `<section><h3>${esc(l.protocol)} ${esc(l.address)}:${l.port}
      <span class="badge ${l.scope}">${l.scope === 'all' ? 'ALL INTERFACES' : esc(l.scope)}</span></h3>
      <p>${esc(l.class)} port${l.service ? `, usually ${esc(l.service)}` : ''}</p>
      ${processHtml(l.processDetails)}
      <button type="button" class="run-check" data-port="${l.port}" data-address="${esc(l.address)}">Run check</button>
      <div class="check-result" aria-live="polite"></div>
      ${l.pid ? `<button type="button" class="danger kill" data-port="${l.port}" data-pid="${l.pid}" data-name="${esc(l.process)}">Kill ${esc(l.process)} (pid ${l.pid})…</button>` : ''}
    </section>`).join('');
  const history = d.history.length ? `<table><thead><tr><th>Opened</th><th>Closed</th><th>Address</th><th>Holder</th></tr></thead><tbody>${
    d.history.map((h) => `<tr><td>${esc(h.opened)}</td><td>${esc(h.closed || 'open')}</td><td class="mono">${esc(h.address)}</td>
      <td>${h.owner ? `${esc(h.owner.name)} (pid ${h.owner.pid})` : '?'}</td></tr>`).join('')}</tbody></table>`
    : '<p class="muted">No history recorded (the watch keeps it while the daemon runs).</p>';
  return `${listeners || '<p>Nothing listens on this port now.</p>'}<h3>History of holders</h3><div class="scroll">${history}</div>`;
}

async function runCheck(button) {
  const out = button.nextElementSibling;
  out.innerHTML = '<p class="muted">Checking…</p>';
  button.disabled = true;
  try {
    const r = await api('GET', `/api/dashboard/ports/${button.dataset.port}/check?address=${encodeURIComponent(button.dataset.address)}`);
    out.innerHTML = `<p><span class="badge ${r.up ? 'loopback' : 'bad'}">${r.up ? 'up' : 'down'}</span>
      ${esc(r.target)} in ${r.totalMillis} ms</p>
      <table class="check-steps"><thead><tr><th>Step</th><th>Result</th><th>ms</th><th>Detail</th></tr></thead><tbody>${
      r.steps.map((s) => `<tr><td>${esc(s.name)}</td><td>${s.ok ? 'ok' : 'failed'}</td><td class="num">${s.millis}</td><td>${esc(s.detail)}</td></tr>`).join('')}</tbody></table>
      ${r.diagnosis ? `<p><strong>${esc(r.diagnosis.summary)}</strong> ${esc(r.diagnosis.fix)}</p>` : ''}`;
  } catch (e) {
    out.innerHTML = `<p role="alert">Error: ${esc(e.message)}</p>`;
  } finally {
    button.disabled = false;
  }
}

async function kill(button) {
  const { port, pid, name } = button.dataset;
  if (!(await confirmAction(`Send SIGTERM to ${name} (pid ${pid}), which holds port ${port}?`))) return;
  await act(async () => {
    const r = await api('POST', `/api/dashboard/ports/${port}/kill`, { pid: Number(pid) });
    $('#port-detail').insertAdjacentHTML('afterbegin', `<p role="status">${esc(r.name)} (pid ${r.pid}) ${r.exited ? 'exited' : 'was signalled'}.</p>`);
    button.disabled = true;
  });
}

// ---- Proxies ---------------------------------------------------------------------------------

function sparkline(rates) {
  const max = Math.max(1, ...rates);
  return `<svg class="spark" viewBox="0 0 100 22" preserveAspectRatio="none" role="img"
    aria-label="throughput, now ${fmtRate(rates.length ? rates[rates.length - 1] : 0)}">${polyline(rates, 100, 22, max, 'line-rate')}</svg>`;
}

function renderProxies() {
  const signature = JSON.stringify(state.proxies.map((p) => [p.name, p.listen, p.upstream, p.enabled, p.toxics.length]));
  if (signature !== state.proxySignature) {
    state.proxySignature = signature;
    $('#proxies-table tbody').innerHTML = state.proxies.map((p) => `<tr data-proxy="${esc(p.name)}">
      <td><strong>${esc(p.name)}</strong> <span class="muted">${esc(p.protocol)}</span></td>
      <td><span class="badge ${p.enabled ? 'loopback' : 'off'}">${p.enabled ? 'enabled' : 'disabled'}</span></td>
      <td class="mono">${esc(p.listen)}</td><td class="mono">${esc(p.upstream)}</td>
      <td class="num" data-stat="open"></td><td class="num" data-stat="up"></td><td class="num" data-stat="down"></td>
      <td data-stat="spark"></td><td class="num">${p.toxics.length}</td>
      <td><div class="actions">
        <button type="button" data-act="toxics" aria-label="Toxics of ${esc(p.name)}">Toxics</button>
        <button type="button" data-act="edit" aria-label="Edit ${esc(p.name)}">Edit</button>
        <button type="button" data-act="toggle" aria-label="${p.enabled ? 'Disable' : 'Enable'} ${esc(p.name)}">${p.enabled ? 'Disable' : 'Enable'}</button>
        <button type="button" data-act="delete" class="danger" aria-label="Delete ${esc(p.name)}">Delete</button></div></td></tr>`).join('')
      || '<tr><td colspan="10" class="muted">No proxies yet: create one above.</td></tr>';
  }
  for (const p of state.proxies) {
    const row = $(`tr[data-proxy="${CSS.escape(p.name)}"]`);
    if (!row) continue;
    $('[data-stat=open]', row).textContent = p.stats.connectionsOpen;
    $('[data-stat=up]', row).textContent = fmtBytes(p.stats.bytesUpstream);
    $('[data-stat=down]', row).textContent = fmtBytes(p.stats.bytesDownstream);
    $('[data-stat=spark]', row).innerHTML = sparkline(p.rates || []);
  }
  renderToxics();
}

function proxyByName(name) { return state.proxies.find((p) => p.name === name); }

async function proxyAction(button) {
  const name = button.closest('tr').dataset.proxy;
  const p = proxyByName(name);
  if (!p) return;
  const path = `/api/proxies/${encodeURIComponent(name)}`;
  switch (button.dataset.act) {
    case 'toxics':
      state.selectedProxy = name;
      state.toxicSignature = '';
      renderToxics();
      $('#toxics-panel').scrollIntoView({ block: 'nearest' });
      $('#toxic-type').focus();
      break;
    case 'edit':
      state.editing = name;
      $('#proxy-name').value = p.name;
      $('#proxy-name').readOnly = true;
      $('#proxy-listen').value = p.listen;
      $('#proxy-upstream').value = p.upstream;
      $('#proxy-enabled').checked = p.enabled;
      $('#proxy-submit').textContent = 'Save proxy';
      $('#proxy-cancel').hidden = false;
      $('#proxy-listen').focus();
      break;
    case 'toggle':
      await act(() => api('POST', path, { enabled: !p.enabled }));
      break;
    case 'delete':
      if (await confirmAction(`Delete proxy ${name}? Its open connections are closed.`)) {
        if (await act(() => api('DELETE', path)) && state.selectedProxy === name) state.selectedProxy = null;
      }
      break;
    default:
  }
}

function resetProxyForm() {
  state.editing = null;
  $('#proxy-form').reset();
  $('#proxy-name').readOnly = false;
  $('#proxy-submit').textContent = 'Create proxy';
  $('#proxy-cancel').hidden = true;
}

async function submitProxy(ev) {
  ev.preventDefault();
  const body = { listen: $('#proxy-listen').value.trim(), upstream: $('#proxy-upstream').value.trim(), enabled: $('#proxy-enabled').checked };
  const ok = await act(async () => {
    if (state.editing) await api('POST', `/api/proxies/${encodeURIComponent(state.editing)}`, body);
    else await api('POST', '/api/proxies', { name: $('#proxy-name').value.trim(), ...body });
  });
  if (ok) resetProxyForm();
}

// ---- Toxics ----------------------------------------------------------------------------------

async function loadTypes() {
  try {
    state.types = await api('GET', '/api/toxic-types');
  } catch (e) {
    return;
  }
  const select = $('#toxic-type');
  const current = select.value;
  select.innerHTML = state.types.map((t) => `<option>${esc(t.name)}</option>`).join('');
  if (current) select.value = current;
  renderToxicAttributes();
}

function renderToxicAttributes() {
  const type = state.types.find((t) => t.name === $('#toxic-type').value);
  $('#toxic-attributes').innerHTML = type ? type.attributes.map((a) => attributeInput('toxic-attr', type.name, a.name, a.default, a.type)).join('') : '';
}

function attributeInput(prefix, type, name, value, kind) {
  const unit = unitOf(type, name);
  return `<label>${esc(name)}${unit ? ` (${esc(unit)})` : ''}
    <input type="number" id="${prefix}-${esc(name)}" data-attr="${esc(name)}" value="${esc(value)}" step="${kind === 'number' ? 'any' : '1'}" required></label>`;
}

function renderToxics() {
  const panel = $('#toxics-panel');
  const p = state.selectedProxy && proxyByName(state.selectedProxy);
  panel.hidden = !p;
  if (!p) return;
  const signature = JSON.stringify([p.name, p.toxics]);
  if (signature === state.toxicSignature) return; // keeps what the user is typing
  state.toxicSignature = signature;
  $('#h-toxics').textContent = `Toxics of ${p.name}`;
  const types = Object.fromEntries(state.types.map((t) => [t.name, t]));
  const section = (stream, label) => {
    const list = p.toxics.filter((t) => t.stream === stream);
    return `<h4>${label}</h4>${list.length ? list.map((t) => `<form class="toxic" data-toxic="${esc(t.name)}" aria-label="Toxic ${esc(t.name)}">
        <strong>${esc(t.name)}</strong> <span class="badge">${esc(t.type)}</span>
        <div class="toolbar">${Object.entries(t.attributes).map(([k, v]) => attributeInput(`edit-${t.name}`, t.type,
          k, v, types[t.type] ? (types[t.type].attributes.find((a) => a.name === k) || {}).type : 'number')).join('')}
          <label>toxicity <input type="number" data-toxicity min="0" max="1" step="any" value="${esc(t.toxicity)}"></label>
          <button type="submit">Save</button>
          <button type="button" class="danger" data-remove aria-label="Remove toxic ${esc(t.name)}">Remove</button></div></form>`).join('')
      : '<p class="muted">none</p>'}`;
  };
  $('#toxics-list').innerHTML = section('upstream', 'Upstream (client → server)') + section('downstream', 'Downstream (server → client)');
}

function attributesOf(form) {
  const out = {};
  for (const input of $$('input[data-attr]', form)) out[input.dataset.attr] = Number(input.value);
  return out;
}

async function addToxic(ev) {
  ev.preventDefault();
  const name = state.selectedProxy;
  const body = {
    type: $('#toxic-type').value, stream: $('#toxic-stream').value,
    toxicity: Number($('#toxic-toxicity').value), attributes: attributesOf($('#toxic-attributes')),
  };
  const toxicName = $('#toxic-name').value.trim();
  if (toxicName) body.name = toxicName;
  if (await act(() => api('POST', `/api/proxies/${encodeURIComponent(name)}/toxics`, body))) $('#toxic-name').value = '';
}

async function toxicAction(ev) {
  const form = ev.target.closest('form.toxic');
  if (!form) return;
  const path = `/api/proxies/${encodeURIComponent(state.selectedProxy)}/toxics/${encodeURIComponent(form.dataset.toxic)}`;
  if (ev.type === 'submit') {
    ev.preventDefault();
    state.toxicSignature = '';
    await act(() => api('POST', path, { attributes: attributesOf(form), toxicity: Number($('input[data-toxicity]', form).value) }));
  } else if (ev.target.matches('[data-remove]')) {
    await act(() => api('DELETE', path));
  }
}

// ---- Events ----------------------------------------------------------------------------------

function eventMatches(e) {
  const type = $('#events-type').value;
  const port = $('#events-port').value;
  return (!type || e.type === type) && (!port || String(e.port) === port);
}

async function loadEvents() {
  const params = new URLSearchParams();
  if ($('#events-type').value) params.set('type', $('#events-type').value);
  if ($('#events-port').value) params.set('port', $('#events-port').value);
  params.set('limit', '500');
  await act(async () => { state.events = await api('GET', `/api/dashboard/events?${params}`); });
  schedule();
}

function renderEvents() {
  $('#events-count').textContent = `(${state.events.length})`;
  $('#events-empty').hidden = state.events.length > 0;
  $('#events-list').innerHTML = state.events.map((e) => {
    const bad = ['violation', 'exposed', 'policy-rejected', 'down'].includes(e.type);
    return `<li><time datetime="${esc(e.time)}">${esc(new Date(e.time).toLocaleString())}</time>
      <span class="badge ${bad ? 'bad' : ''}">${esc(e.type)}</span> ${esc(e.message)}
      ${e.process || e.previous ? `<details><summary>Process details</summary>${processHtml(e.process)}
        ${e.previous ? `<p>Held before by:</p>${processHtml(e.previous)}` : ''}</details>` : ''}
      ${e.action ? `<div class="muted">Action: <code>${esc(e.action)}</code></div>` : ''}</li>`;
  }).join('');
}

// ---- Start -----------------------------------------------------------------------------------

async function start() {
  $('#error-close').addEventListener('click', clearError);
  window.addEventListener('hashchange', route);
  for (const id of ['#ports-filter', '#ports-scope', '#ports-protocol', '#ports-sort']) $(id).addEventListener('input', schedule);
  $('#ports-more').addEventListener('click', () => { state.portLimit = Infinity; schedule(); });
  $('#ports-filters').addEventListener('submit', (e) => e.preventDefault());
  $('#ports-table').addEventListener('click', (e) => { const b = e.target.closest('.port-open'); if (b) openPort(b.dataset.port); });
  $('#port-detail').addEventListener('click', (e) => {
    const b = e.target.closest('button.kill, button.run-check');
    if (b) (b.classList.contains('kill') ? kill : runCheck)(b);
  });
  $('#proxy-form').addEventListener('submit', submitProxy);
  $('#proxy-cancel').addEventListener('click', resetProxyForm);
  $('#proxies-table').addEventListener('click', (e) => { const b = e.target.closest('button[data-act]'); if (b) proxyAction(b); });
  $('#toxic-type').addEventListener('change', renderToxicAttributes);
  $('#toxic-form').addEventListener('submit', addToxic);
  $('#toxics-list').addEventListener('submit', toxicAction);
  $('#toxics-list').addEventListener('click', toxicAction);
  $('#events-filters').addEventListener('input', loadEvents);
  $('#events-filters').addEventListener('submit', (e) => e.preventDefault());
  $('#token-form').addEventListener('submit', (e) => {
    if (e.submitter && e.submitter.value === 'ok') {
      localStorage.setItem(tokenKey, $('#token-input').value.trim());
      connect();
    }
  });
  route();
  connect();
  try {
    const status = await api('GET', '/api/status');
    tokenRequired = status.tokenRequired;
    $('#token-dir').textContent = status.dataDir;
    if (tokenRequired && !localStorage.getItem(tokenKey)) askToken();
  } catch (e) {
    // The feed shows the daemon as offline; nothing else to say.
  }
}

start();
