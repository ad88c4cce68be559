// The Events view: the watch's timeline, filtered by type and port.
import { $, act, api, esc, processHtml, registerView, schedule, state } from './core.js';

export function eventMatches(e) {
  const type = $('#events-type').value;
  const port = $('#events-port').value;
  return (!type || e.type === type) && (!port || String(e.port) === port);
}

// Typing a port sends one request per keystroke; answers may come back out of order, and only
// the newest request's answer may replace the list (an older one is for a filter no longer shown).
let loads = 0;

export async function loadEvents() {
  const params = new URLSearchParams();
  if ($('#events-type').value) params.set('type', $('#events-type').value);
  if ($('#events-port').value) params.set('port', $('#events-port').value);
  params.set('limit', '500');
  const mine = ++loads;
  await act(async () => {
    const list = await api('GET', `/api/dashboard/events?${params}`);
    if (mine === loads) state.events = list;
  });
  schedule();
}

function renderEvents() {
  $('#events-count').textContent = `(${state.events.length})`;
  $('#events-empty').hidden = state.events.length > 0;
  $('#events-list').innerHTML = state.events.map((e) => {
    const bad = ['violation', 'exposed', 'policy-rejected', 'down', 'quarantined', 'quarantine-failed'].includes(e.type);
    return `<li><time datetime="${esc(e.time)}">${esc(new Date(e.time).toLocaleString())}</time>
      <span class="badge ${bad ? 'bad' : ''}">${esc(e.type)}</span> ${esc(e.message)}
      ${e.origin ? `<div class="origin">Origin: ${esc(e.origin.kind)} <strong>${esc(e.origin.name)}</strong>${
        Object.entries(e.origin.details || {}).map(([k, v]) => `, ${esc(k)} ${esc(v)}`).join('')}</div>` : ''}
      ${e.process || e.previous ? `<details><summary>Process details</summary>${processHtml(e.process)}
        ${e.previous ? `<p>Held before by:</p>${processHtml(e.previous)}` : ''}</details>` : ''}
      ${e.action ? `<div class="muted">Action: <code>${esc(e.action)}</code></div>` : ''}</li>`;
  }).join('');
}

/** Wires the view's controls. */
export function initEvents() {
  $('#events-filters').addEventListener('input', loadEvents);
  $('#events-filters').addEventListener('submit', (e) => e.preventDefault());
}

registerView('events', renderEvents);
