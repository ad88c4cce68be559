// porthole dashboard, shared core: DOM helpers, formatting, the page state, API calls and the
// render loop. Plain modern JavaScript modules, no build step, no network beyond the daemon: state
// arrives over Server-Sent Events (feed.js); changes go through the same JSON API the CLI uses
// (/api/proxies…), so the page shows the API's own error messages. Each view is a module of its
// own that registers its render function here.

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (v) => (v === null || v === undefined ? '' : String(v).replace(/[&<>"']/g, (c) => ESC[c]));

export const state = {
  view: 'overview', ports: [], commands: {}, recentEvents: [], proxies: [], samples: [], events: [], types: [],
  portLimit: 200, selectedProxy: null, proxySignature: '', toxicSignature: '', editing: null, connected: false,
};

export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
export const fmtRate = (n) => `${fmtBytes(n)}/s`;

export function polyline(values, width, height, max, cls) {
  if (values.length < 2) return '';
  const step = width / (values.length - 1);
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return `<polyline class="${cls}" points="${pts.join(' ')}"/>`;
}

// A process as the watch describes it; the Ports and Events views both show it.
export function processHtml(p) {
  if (!p) return '<p class="muted">The owner cannot be read (another user\'s process; run the daemon as that user or root).</p>';
  const parents = (p.parents || []).map((x) => `${x.pid} ${esc(x.name)}`).join(' ← ');
  return `<dl class="kv"><dt>PID</dt><dd>${p.pid} (parent ${p.ppid})</dd><dt>Name</dt><dd>${esc(p.name)}</dd>
    <dt>User</dt><dd>${esc(p.user)} (uid ${p.uid})</dd><dt>Command</dt><dd>${esc(p.commandLine)}</dd>
    <dt>Executable</dt><dd>${esc(p.exe || '?')}</dd><dt>SHA-256</dt><dd>${esc(p.sha256 || '?')}</dd>
    <dt>Started</dt><dd>${esc(p.startTime || '?')}</dd><dt>Directory</dt><dd>${esc(p.cwd || '?')}</dd>
    <dt>Parents</dt><dd>${parents || '—'}</dd></dl>`;
}


// ---- API calls: token, errors --------------------------------------------------------------

export const tokenKey = 'porthole.token';

export async function api(method, path, body) {
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

export function showError(message) {
  $('#error-text').textContent = `Error: ${message}`;
  $('#error').hidden = false;
}
export function clearError() { $('#error').hidden = true; }

/** Runs an action from a button or form, showing its error, and returns whether it worked. */
export async function act(fn) {
  clearError();
  try { await fn(); return true; } catch (e) { showError(e.message); return false; }
}

export function confirmAction(text) {
  const dialog = $('#confirm-dialog');
  $('#confirm-text').textContent = text;
  dialog.returnValue = 'cancel';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
  });
}

export function askToken() {
  const dialog = $('#token-dialog');
  if (!dialog.open) dialog.showModal();
}


export function setConnected(on) {
  state.connected = on;
  const pill = $('#live-state');
  pill.textContent = on ? 'live' : 'offline';
  pill.className = `pill ${on ? 'live' : 'down'}`;
  $('#offline').hidden = on;
  document.body.dataset.connected = on;
}

// ---- Views and rendering ---------------------------------------------------------------------

const views = new Map(); // name -> render function, in the order of the navigation

/** Registers a view's render function under the name its section and nav link carry. */
export function registerView(name, render) { views.set(name, render); }

// Coalesces bursts of updates into one render per animation frame.
let pending = false;
export function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
}

// The last render times in ms, for bench/dashboard (window.porthole.renders); the first render
// with the daemon's data is marked 'porthole:first-render' in the Performance timeline.
window.porthole = { renders: [] };
export const timeline = { firstRender: true };

function render() {
  const t0 = performance.now();
  views.get(state.view)();
  $('#ports-count').textContent = `(${state.ports.length})`;
  $('#proxies-count').textContent = `(${state.proxies.length})`;
  const renders = window.porthole.renders;
  renders.push(performance.now() - t0);
  if (renders.length > 500) renders.shift();
  if (timeline.firstRender && state.connected) {
    timeline.firstRender = false;
    performance.mark('porthole:first-render', { detail: { view: state.view, ports: state.ports.length } });
  }
}

/** Shows the view the location's hash names (the first registered one by default). */
export function route() {
  const first = views.keys().next().value;
  const view = (location.hash || `#${first}`).slice(1);
  state.view = views.has(view) ? view : first;
  for (const s of $$('main > section')) s.hidden = s.dataset.view !== state.view;
  for (const a of $$('nav a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `porthole · ${state.view}`;
  render();
}
