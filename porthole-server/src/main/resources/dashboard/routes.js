// The Routes view: the router's names (name → upstreams, with the ones passive health skips),
// its ports, and the add/remove controls; everything through /api/routes and /api/router.
import { $, act, api, confirmAction, esc, registerView } from './core.js';

const routes = { list: [], router: null, loaded: false };

async function load() {
  await act(async () => {
    const [list, router] = await Promise.all([api('GET', '/api/routes'), api('GET', '/api/router')]);
    routes.list = list;
    routes.router = router;
    routes.loaded = true;
  });
  draw();
}

function routerText(r) {
  if (!r) return '';
  if (!r.running) return 'The router is not running: start the daemon with porthole up --http-port N.';
  const ports = [r.httpPort ? `HTTP on port ${r.httpPort}` : null, r.httpsPort ? `HTTPS on port ${r.httpsPort}` : null];
  return `Router: ${ports.filter(Boolean).join(', ') || 'no ports'}.`;
}

function draw() {
  $('#router-ports').textContent = routerText(routes.router);
  $('#routes-count').textContent = `(${routes.list.length})`;
  $('#routes-table tbody').innerHTML = routes.list.map((r) => `<tr data-route="${esc(r.name)}">
    <td><strong>${esc(r.name)}</strong></td>
    <td>${r.upstreams.map((u) => `<span class="mono">${esc(u.address)}</span>
      <span class="badge ${u.skipped ? 'bad' : 'loopback'}">${u.skipped ? 'skipped (refused)' : 'healthy'}</span>`).join('<br>')}</td>
    <td>${esc(new Date(r.created).toLocaleString())}</td>
    <td><button type="button" data-act="remove" class="danger" aria-label="Remove ${esc(r.name)}">Remove</button></td></tr>`).join('')
    || '<tr><td colspan="4" class="muted">No routes yet: add one above (a name under .localhost).</td></tr>';
}

function renderRoutes() {
  // Routes change only through this page or the CLI: load when the view is shown, not in a loop.
  if (!routes.loaded) { routes.loaded = true; load(); } else draw();
}

async function submitRoute(ev) {
  ev.preventDefault();
  const upstreams = $('#route-upstreams').value.split(/[\s,]+/).filter(Boolean);
  const ok = await act(() => api('POST', '/api/routes', { name: $('#route-name').value.trim(), upstreams }));
  if (ok) {
    $('#route-form').reset();
    await load();
  }
}

async function removeRoute(button) {
  const name = button.closest('tr').dataset.route;
  if (!(await confirmAction(`Remove route ${name}? The router stops answering for it.`))) return;
  if (await act(() => api('DELETE', `/api/routes/${encodeURIComponent(name)}`))) await load();
}

/** Wires the view's controls; the list is read again each time the view is opened. */
export function initRoutes() {
  $('#route-form').addEventListener('submit', submitRoute);
  $('#routes-table').addEventListener('click', (e) => { const b = e.target.closest('button[data-act=remove]'); if (b) removeRoute(b); });
  window.addEventListener('hashchange', () => { if (location.hash === '#routes') load(); });
}

registerView('routes', renderRoutes);
