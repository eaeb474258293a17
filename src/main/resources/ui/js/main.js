// The router: #/<view>?params. Each view module exports render(root) and may answer a function
// that stops its timers and streams when the user leaves it.
import { clear, h, showError } from './dom.js';
import { logout, session } from './api.js';

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

let me = null;

async function route() {
  const name = (location.hash.match(/^#\/([a-z]+)/) || [])[1] || (me.role === 'agent' ? 'agent' : 'dashboard');
  // an agent account has the agent console only (the other views need a supervisor)
  const view = VIEWS[name] && (me.role !== 'agent' || name === 'agent') ? name : (me.role === 'agent' ? 'agent' : 'dashboard');
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

/** Who is logged in, and the logout button, in the page header. */
function showUser() {
  const who = document.getElementById('who');
  clear(who, h('span', { id: 'who-name' }, `${me.user} (${me.role})`), ' ',
    h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: () => logout() }, 'Log out'));
  if (me.role === 'agent') {
    for (const link of document.querySelectorAll('#nav a')) link.parentElement.hidden = link.dataset.view !== 'agent';
  }
}

async function start() {
  try {
    me = await session();
  } catch {
    return; // on the way to the login page
  }
  showUser();
  // views keep their filters in the hash with history.replaceState, which fires no hashchange
  window.addEventListener('hashchange', route);
  route();
}

start();
