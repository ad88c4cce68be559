// The Proxies view: the daemon's proxies with live counters, and the create/edit form.
import { $, act, api, confirmAction, esc, fmtBytes, fmtRate, polyline, registerView, state } from './core.js';
import { proxyByName, renderToxics } from './toxics.js';

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

/** Wires the view's controls. */
export function initProxies() {
  $('#proxy-form').addEventListener('submit', submitProxy);
  $('#proxy-cancel').addEventListener('click', resetProxyForm);
  $('#proxies-table').addEventListener('click', (e) => { const b = e.target.closest('button[data-act]'); if (b) proxyAction(b); });
}

registerView('proxies', renderProxies);
