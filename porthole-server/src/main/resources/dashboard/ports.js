// The Ports view: every listener, filtered and sorted, with a detail dialog (holder, history,
// check, kill).
import { $, act, api, confirmAction, esc, processHtml, registerView, schedule, state } from './core.js';

function renderPorts() {
  const q = $('#ports-filter').value.trim().toLowerCase();
  const scope = $('#ports-scope').value;
  const proto = $('#ports-protocol').value;
  const sort = $('#ports-sort').value;
  let rows = state.ports.filter((p) => (!scope || p.scope === scope) && (!proto || p.protocol === proto));
  if (q) {
    rows = rows.filter((p) => [p.port, p.address, p.process, p.user, p.service, p.originSummary, state.commands[p.pid], p.pid]
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
    <td title="${esc(state.commands[p.pid] || '')}">${esc(p.process || '?')}</td><td class="num">${p.pid || ''}</td><td>${esc(p.user || '')}</td>
    <td class="origin">${esc(p.originSummary || '')}</td></tr>`;
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
    else body.innerHTML = '<tr><td colspan="10" class="muted">No listener matches.</td></tr>';
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

function portDetailHtml(d) {
  const listeners = d.listeners.map((l) => `<section><h3>${esc(l.protocol)} ${esc(l.address)}:${l.port}
      <span class="badge ${l.scope}">${l.scope === 'all' ? 'ALL INTERFACES' : esc(l.scope)}</span></h3>
      <p>${esc(l.class)} port${l.service ? `, usually ${esc(l.service)}` : ''}</p>
      ${l.originSummary ? `<p class="origin">Owned by ${esc(l.originSummary)}</p>` : ''}
      ${processHtml(l.processDetails)}
      <button type="button" class="run-check" data-port="${l.port}" data-address="${esc(l.address)}">Run check</button>
      <div class="check-result" aria-live="polite"></div>
      ${l.pid ? `<button type="button" class="danger kill" data-port="${l.port}" data-pid="${l.pid}" data-name="${esc(l.process)}">Kill ${esc(l.process)} (pid ${l.pid})…</button>` : ''}
    </section>`).join('');
  const history = d.history.length ? `<table><thead><tr><th>Opened</th><th>Closed</th><th>Address</th><th>Holder</th><th>Origin</th></tr></thead><tbody>${
    d.history.map((h) => `<tr><td>${esc(h.opened)}</td><td>${esc(h.closed || 'open')}</td><td class="mono">${esc(h.address)}</td>
      <td>${h.owner ? `${esc(h.owner.name)} (pid ${h.owner.pid})` : '?'}</td>
      <td>${h.origin ? `${esc(h.origin.kind)} ${esc(h.origin.name)}` : ''}</td></tr>`).join('')}</tbody></table>`
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

/** Wires the view's controls. */
export function initPorts() {
  for (const id of ['#ports-filter', '#ports-scope', '#ports-protocol', '#ports-sort']) $(id).addEventListener('input', schedule);
  $('#ports-more').addEventListener('click', () => { state.portLimit = Infinity; schedule(); });
  $('#ports-filters').addEventListener('submit', (e) => e.preventDefault());
  $('#ports-table').addEventListener('click', (e) => { const b = e.target.closest('.port-open'); if (b) openPort(b.dataset.port); });
  $('#port-detail').addEventListener('click', (e) => {
    const b = e.target.closest('button.kill, button.run-check');
    if (b) (b.classList.contains('kill') ? kill : runCheck)(b);
  });
}

registerView('ports', renderPorts);
