// porthole dashboard: starts the page. Views register themselves in the order of the navigation
// (the first is the default); feed.js keeps the state live.
import { $, api, askToken, clearError, route, tokenKey } from './core.js';
import './overview.js';
import { initPorts } from './ports.js';
import { initProxies } from './proxies.js';
import { initToxics } from './toxics.js';
import { initEvents } from './events.js';
import { initTraffic } from './traffic.js';
import { initRoutes } from './routes.js';
import { initQuarantine } from './quarantine.js';
import { connect } from './feed.js';

async function start() {
  $('#error-close').addEventListener('click', clearError);
  window.addEventListener('hashchange', route);
  initPorts();
  initProxies();
  initToxics();
  initEvents();
  initTraffic();
  initRoutes();
  initQuarantine();
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
    $('#token-dir').textContent = status.dataDir;
    if (status.tokenRequired && !localStorage.getItem(tokenKey)) askToken();
  } catch (e) {
    // The feed shows the daemon as offline; nothing else to say.
  }
}

start();
