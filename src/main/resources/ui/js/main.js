// The router: #/<view>?params. Each view module exports render(root) and may answer a function
// that stops its timers and streams when the user leaves it.
import { clear, h, showError } from './dom.js';

const VIEWS = {
  dashboard: () => import('./dashboard.js'),
  callbacks: () => import('./callbacks.js'),
  availability: () => import('./availability.js'),
  test: () => import('./testpanel.js'),
  agent: () => import('./agent.js'),
  config: () => import('./config.js'),
};
const TITLES = {
  dashboard: 'Dashboard', callbacks: 'Callbacks', availability: 'Availability',
  test: 'Test panel', agent: 'Agent console', config: 'Configuration',
};

let stop = null;
let current = null;

async function route() {
  const name = (location.hash.match(/^#\/([a-z]+)/) || [])[1] || 'dashboard';
  const view = VIEWS[name] ? name : 'dashboard';
  if (stop) stop();
  stop = null;
  current = view;
  showError(null);
  document.title = `${TITLES[view]} · OpenCallback`;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const root = document.getElementById('view');
  clear(root, h('p', { class: 'muted' }, 'Loading…'));
  try {
    const module = await VIEWS[view]();
    clear(root);
    stop = (await module.render(root)) || null;
  } catch (error) {
    clear(root, h('h1', {}, TITLES[view]), h('p', { class: 'error' }, error.message));
  }
  root.focus({ preventScroll: true });
}

// views keep their filters in the hash with history.replaceState, which fires no hashchange
window.addEventListener('hashchange', route);
route();
