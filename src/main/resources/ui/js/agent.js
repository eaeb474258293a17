// Agent console for the built-in engine: log in, ready / not ready, previews over server-sent
// events, accept / reject / cancel, hang up, disposition.
import { api, serviceNames, session, url } from './api.js';
import { announce, clear, field, h, showError } from './dom.js';

const AGENTS = '/genesys/1/engine/agents';
const STORED = 'opencallback.agent';
const EVENTS = ['CallbackInvitationEvent', 'CallbackConnectedEvent', 'CallbackEndedEvent',
  'CallbackDispositionEvent', 'CallbackCancelledEvent', 'AgentStateEvent'];

export async function render(root) {
  const services = await serviceNames();
  const me = await session();
  let saved = JSON.parse(sessionStorage.getItem(STORED) || 'null');
  // an agent account acts as its own agent only
  if (me.agent && saved?.agent !== me.agent) saved = { agent: me.agent, name: me.user, services: [] };
  const loginForm = h('form', { 'aria-label': 'Agent login' },
    h('fieldset', {}, h('legend', {}, 'Log in as an agent'),
      h('div', { class: 'form-row' },
        field('Agent id', h('input', { name: 'agent', required: true, pattern: '[A-Za-z0-9._@\\-]+', value: saved?.agent || 'alice', autocomplete: 'username', readOnly: Boolean(me.agent) })),
        field('Name', h('input', { name: 'name', value: saved?.name || 'Alice' })),
        h('fieldset', {}, h('legend', {}, 'Services (none: all)'),
          services.map((service) => h('label', { class: 'inline' },
            h('input', { type: 'checkbox', name: 'services', value: service, checked: saved?.services?.includes(service) }), service)))),
      h('button', { type: 'submit' }, 'Log in')));
  const desk = h('section', { 'aria-label': 'Agent desk', hidden: true });
  const agentsTable = h('div', { class: 'table-wrap' });
  root.append(h('h1', {}, 'Agent console'), loginForm, desk, h('h2', {}, 'All agents'), agentsTable);

  let source = null;
  let agentId = null;
  let stopped = false;
  let countdown = null;
  const stateText = h('span', { class: 'agent-state', id: 'agent-state' }, '—');
  const work = h('div', { id: 'agent-work', 'aria-live': 'assertive' });
  const log = h('ol', { class: 'log', id: 'agent-log', 'aria-label': 'Events, newest first' });
  const reason = h('input', { name: 'reason', value: 'break', 'aria-label': 'Not ready reason', size: 10 });
  const connection = h('span', { class: 'muted', id: 'agent-connection' });

  const action = (text, path, body, cls) => h('button', { type: 'button', class: cls, onclick: () => call(path, body && body()) }, text);
  clear(desk,
    h('div', { class: 'toolbar' }, h('span', {}, 'State: '), stateText, connection, h('span', { class: 'spacer' }),
      action('Ready', 'ready'), h('span', {}, reason), action('Not ready', 'notready', () => ({ reason: reason.value }), 'secondary'),
      action('Hang up', 'hangup', null, 'secondary'), action('Log out', 'logout', null, 'secondary')),
    work,
    h('h2', {}, 'Events'), log);

  async function call(path, body) {
    try {
      const agent = await api(`${AGENTS}/${encodeURIComponent(agentId)}/${path}`, { method: 'POST', body: body || {} });
      showError(null);
      showAgent(agent);
      if (path === 'logout') {
        sessionStorage.removeItem(STORED);
        closeStream();
        desk.hidden = true;
        loginForm.hidden = false;
      }
      return agent;
    } catch (error) {
      showError(`${path}: ${error.message}`);
      return null;
    }
  }

  function showAgent(agent) {
    stateText.textContent = agent.state + (agent.reason ? ` (${agent.reason})` : '');
    stateText.dataset.state = agent.state;
    refreshAgents();
  }

  function closeStream() {
    if (source) source.close();
    source = null;
  }

  /** Opens the agent's event stream; resolves once it is connected (or after 5 s). */
  function open(agent) {
    closeStream();
    agentId = agent;
    source = new EventSource(url(`${AGENTS}/${encodeURIComponent(agent)}/events`));
    for (const type of EVENTS) source.addEventListener(type, (event) => onEvent(type, JSON.parse(event.data)));
    return new Promise((resolve) => {
      const timeout = setTimeout(resolve, 5000);
      source.onopen = () => {
        connection.textContent = ' · events connected';
        connection.dataset.connected = 'true';
        clearTimeout(timeout);
        resolve();
      };
      source.onerror = () => {
        connection.dataset.connected = 'false';
        connection.textContent = source && source.readyState === EventSource.CLOSED
          ? ' · events stream closed: log in again' : ' · events disconnected, reconnecting…';
      };
    });
  }

  function onEvent(type, data) {
    log.prepend(h('li', {}, h('span', { class: 'event-name' }, type), ` ${new Date().toLocaleTimeString()} `,
      h('span', { class: 'mono' }, JSON.stringify(data))));
    if (type === 'AgentStateEvent') {
      stateText.textContent = data.state + (data.reason ? ` (${data.reason})` : '');
      stateText.dataset.state = data.state;
      refreshAgents();
    } else if (type === 'CallbackInvitationEvent') {
      preview(data);
    } else if (type === 'CallbackConnectedEvent') {
      stopCountdown();
      clear(work, h('div', { class: 'preview' }, h('h2', {}, 'On a call'),
        callbackFacts(data), h('button', { type: 'button', onclick: () => call('hangup') }, 'Hang up')));
      announce(`Connected to ${data._customer_number}`);
    } else if (type === 'CallbackDispositionEvent') {
      disposition(data);
    } else if (type === 'CallbackEndedEvent' || type === 'CallbackCancelledEvent') {
      stopCountdown();
      if (!work.querySelector('form')) {
        clear(work, h('p', { class: 'note' }, `${type === 'CallbackCancelledEvent' ? 'Cancelled' : 'Ended'}: ${data._customer_number || ''} ${data.result || ''}`));
      }
    }
  }

  function callbackFacts(data) {
    const userData = data.userData || {};
    return h('dl', { class: 'kv' },
      h('dt', {}, 'Customer'), h('dd', { class: 'mono', id: 'preview-number' }, data._customer_number || ''),
      h('dt', {}, 'Service'), h('dd', {}, data._service_name || ''),
      h('dt', {}, 'Callback'), h('dd', { class: 'mono' }, data._id),
      Object.entries(userData).map(([key, value]) => [h('dt', {}, key), h('dd', {}, String(value))]));
  }

  function preview(data) {
    const actions = data.actions || ['accept', 'reject', 'cancel'];
    const remaining = h('span', { class: 'muted' });
    const answer = (what) => async () => {
      stopCountdown();
      const agent = await api(`${AGENTS}/${encodeURIComponent(agentId)}/preview`, { method: 'POST', body: { _id: data._id, action: what } })
        .catch((error) => { showError(`Preview ${what}: ${error.message}`); return null; });
      if (agent) {
        showAgent(agent);
        clear(work, h('p', { class: 'ok-note' }, what === 'accept' ? 'Accepted: dialing the customer…' : `Preview ${what}ed.`));
      }
    };
    const allowReject = actions.includes('reject') && (data.allowedRejects === undefined || data.allowedRejects > 0);
    clear(work, h('div', { class: 'preview', role: 'region', 'aria-label': 'Callback preview' },
      h('h2', {}, 'Callback preview'), callbackFacts(data),
      data.allowedRejects !== undefined ? h('p', { class: 'muted' }, `Rejects so far ${data.rejects || 0} of ${data.allowedRejects} allowed.`) : null,
      h('div', { class: 'toolbar' },
        actions.includes('accept') ? h('button', { type: 'button', id: 'preview-accept', onclick: answer('accept') }, 'Accept') : null,
        allowReject ? h('button', { type: 'button', class: 'secondary', id: 'preview-reject', onclick: answer('reject') }, 'Reject') : null,
        actions.includes('cancel') ? h('button', { type: 'button', class: 'danger', id: 'preview-cancel', onclick: answer('cancel') }, 'Cancel callback') : null,
        remaining)));
    work.querySelector('button')?.focus();
    announce(`Callback preview for ${data._customer_number}`);
    if (data.timeout) {
      const end = Date.now() + data.timeout * 1000;
      const tick = () => {
        const left = Math.max(0, Math.round((end - Date.now()) / 1000));
        remaining.textContent = `${left} s to answer`;
        if (left > 0) countdown = setTimeout(tick, 1000);
      };
      tick();
    }
  }

  function disposition(data) {
    const form = h('form', { class: 'preview', 'aria-label': 'Disposition', id: 'disposition-form' },
      h('h2', {}, 'Disposition'), callbackFacts(data),
      h('div', { class: 'form-row' },
        field('Disposition code', h('input', { name: 'disposition', required: true, value: 'RESOLVED', list: 'dispositions' })),
        field('Notes', h('input', { name: 'notes', size: 30 })),
        h('datalist', { id: 'dispositions' }, ['RESOLVED', 'SALE', 'NO_SALE', 'CALL_AGAIN', 'WRONG_NUMBER'].map((v) => h('option', { value: v }))),
        h('button', { type: 'submit' }, 'Send disposition')),
      data.timeout ? h('p', { class: 'muted' }, `Answer within ${data.timeout} s.`) : null);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const agent = await api(`${AGENTS}/${encodeURIComponent(agentId)}/disposition`, {
          method: 'POST', body: { _id: data._id, disposition: form.elements.disposition.value, notes: form.elements.notes.value },
        });
        showAgent(agent);
        clear(work, h('p', { class: 'ok-note', id: 'disposition-sent' }, `Disposition ${form.elements.disposition.value} sent for ${data._id}.`));
      } catch (error) {
        showError(`Disposition: ${error.message}`);
      }
    });
    clear(work, form);
    form.elements.disposition.focus();
  }

  function stopCountdown() {
    clearTimeout(countdown);
  }

  async function refreshAgents() {
    if (stopped) return;
    try {
      const agents = await api(AGENTS);
      clear(agentsTable, h('table', {},
        h('thead', {}, h('tr', {}, ['Agent', 'Name', 'Kind', 'State', 'Services', 'Callback'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, agents.map((agent) => h('tr', {},
          h('td', { class: 'mono' }, agent.id), h('td', {}, agent.name || ''), h('td', {}, agent.simulated ? 'simulated' : 'real'),
          h('td', {}, agent.state + (agent.reason ? ` (${agent.reason})` : '')),
          h('td', {}, (agent.services || []).join(', ') || 'all'), h('td', { class: 'mono' }, agent.callback || ''))))));
    } catch (error) {
      clear(agentsTable, h('p', { class: 'error' }, `Agents not available: ${error.message}`));
    }
  }

  loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const agent = loginForm.elements.agent.value.trim();
    const chosen = [...loginForm.querySelectorAll('input[name=services]:checked')].map((box) => box.value);
    const name = loginForm.elements.name.value.trim();
    try {
      const answer = await api(`${AGENTS}/${encodeURIComponent(agent)}/login`, { method: 'POST', body: { name, services: chosen } });
      // logged in agents are NOT_READY: nothing is offered before the stream is open
      await open(agent);
      sessionStorage.setItem(STORED, JSON.stringify({ agent, name, services: chosen }));
      showError(null);
      loginForm.hidden = true;
      desk.hidden = false;
      showAgent(answer);
      announce(`Logged in as ${agent}`);
    } catch (error) {
      closeStream();
      showError(`Login failed: ${error.message}`);
    }
  });

  if (saved) {
    // back on the page: the agent may still be logged in
    try {
      const agent = await api(`${AGENTS}/${encodeURIComponent(saved.agent)}`);
      if (agent.state !== 'LOGGED_OUT') {
        await open(saved.agent);
        loginForm.hidden = true;
        desk.hidden = false;
        showAgent(agent);
      }
    } catch { /* not known any more */ }
  }
  await refreshAgents();
  return () => { stopped = true; stopCountdown(); closeStream(); };
}
