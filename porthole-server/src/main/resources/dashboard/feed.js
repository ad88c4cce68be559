// The live feed: one Server-Sent Events stream (/api/dashboard/stream) keeps the page's state
// current, and reconnects by itself while the daemon restarts.
import { api, schedule, setConnected, state, timeline, tokenKey } from './core.js';
import { eventMatches, loadEvents } from './events.js';
import { loadTypes } from './toxics.js';

let source = null;
let retryTimer = null;

export function connect() {
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
    if (timeline.firstRender) performance.mark('porthole:hello');
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
