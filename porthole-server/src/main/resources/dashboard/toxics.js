// The toxics panel of the Proxies view: forms generated from the daemon's toxic registry
// (/api/toxic-types), so a new toxic type needs no change here.
import { $, $$, act, api, esc, state } from './core.js';

// Units of the Toxiproxy attributes, for the toxic forms' labels.
const UNITS = {
  latency: 'ms', jitter: 'ms', rate: 'KB/s', delay: 'ms', timeout: 'ms', average_size: 'bytes',
  size_variation: 'bytes', bytes: 'bytes', after_bytes: 'bytes',
};
const unitOf = (type, attr) => {
  if (type === 'slicer' && attr === 'delay') return 'µs';
  if (type.startsWith('http_') && attr === 'rate') return '0..1'; // a share of requests, not KB/s
  return UNITS[attr] || '';
};


export function proxyByName(name) { return state.proxies.find((p) => p.name === name); }

export async function loadTypes() {
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
  if (kind === 'string') {
    return `<label>${esc(name)}
    <input type="text" id="${prefix}-${esc(name)}" data-attr="${esc(name)}" data-kind="string" value="${esc(value)}"></label>`;
  }
  return `<label>${esc(name)}${unit ? ` (${esc(unit)})` : ''}
    <input type="number" id="${prefix}-${esc(name)}" data-attr="${esc(name)}" value="${esc(value)}" step="${kind === 'number' ? 'any' : '1'}" required></label>`;
}

export function renderToxics() {
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
  for (const input of $$('input[data-attr]', form)) {
    out[input.dataset.attr] = input.dataset.kind === 'string' ? input.value : Number(input.value);
  }
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

/** Wires the panel's controls. */
export function initToxics() {
  $('#toxic-type').addEventListener('change', renderToxicAttributes);
  $('#toxic-form').addEventListener('submit', addToxic);
  $('#toxics-list').addEventListener('submit', toxicAction);
  $('#toxics-list').addEventListener('click', toxicAction);
}
