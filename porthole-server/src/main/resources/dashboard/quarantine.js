// The Quarantine view: the processes frozen (SIGSTOP) and cut off (tagged DROP rules) by
// `porthole quarantine` or the watch's policy, with a Release button each; through
// /api/quarantines. A release names the process (its pid), as the dashboard's kill does.
import { $, act, api, confirmAction, esc, registerView, state } from './core.js';

const quarantine = { list: [], timer: null };

async function load() {
  await act(async () => { quarantine.list = await api('GET', '/api/quarantines'); });
  draw();
}

function draw() {
  $('#quarantine-count').textContent = `(${quarantine.list.length})`;
  $('#quarantine-table tbody').innerHTML = quarantine.list.map((q) => `<tr data-id="${esc(q.id)}" data-pid="${q.pid}" data-name="${esc(q.name)}">
    <td class="mono">${esc(q.id)}</td><td>${q.pid}</td><td><strong>${esc(q.name)}</strong></td>
    <td>${q.ports.length ? q.ports.map((p) => `<span class="badge bad">${esc(p)} dropped</span>`).join(' ') : '<span class="muted">none</span>'}</td>
    <td>${esc(new Date(q.createdMs).toLocaleString())}</td>
    <td class="mono" title="${esc(q.sha256 || '')}">${esc(q.exe || '?')}</td>
    <td><button type="button" data-act="release" aria-label="Release ${esc(q.name)} (pid ${q.pid})">Release</button></td></tr>`).join('')
    || '<tr><td colspan="7" class="muted">No process is in quarantine.</td></tr>';
}

function renderQuarantine() {
  // The watch's policy can quarantine at any moment: read the list while the view is shown.
  if (!quarantine.timer) {
    load();
    quarantine.timer = setInterval(() => { if (state.view === 'quarantine') load(); }, 2000);
  } else draw();
}

async function release(button) {
  const row = button.closest('tr');
  const { id, pid, name } = row.dataset;
  if (!(await confirmAction(`Release ${name} (pid ${pid})? Its DROP rules are removed and it runs again (SIGCONT).`))) return;
  if (await act(() => api('POST', `/api/quarantines/${encodeURIComponent(id)}/release`, { pid: Number(pid) }))) await load();
}

/** Wires the view's controls. */
export function initQuarantine() {
  $('#quarantine-table').addEventListener('click', (e) => { const b = e.target.closest('button[data-act=release]'); if (b) release(b); });
  window.addEventListener('hashchange', () => { if (location.hash === '#quarantine') load(); });
}

registerView('quarantine', renderQuarantine);
