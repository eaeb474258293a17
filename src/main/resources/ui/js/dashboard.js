// Dashboard: per service, counts by state, watermark, due in the next hour, rejections, a chart.
import { ADMIN, NO_ADMIN, api, missing } from './api.js';
import { activityChart } from './chart.js';
import { clear, h, showError } from './dom.js';
import { readMetrics } from './metrics.js';

const REFRESH_MS = 5000;
const STATES = ['SCHEDULED', 'QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED', 'COMPLETED'];

export async function render(root) {
  const updated = h('span', { class: 'muted' }, '');
  const pause = h('button', { class: 'secondary', type: 'button', 'aria-pressed': 'false' }, 'Pause updates');
  const notes = h('div');
  const cards = h('div', { class: 'cards', 'aria-live': 'off' });
  root.append(
    h('h1', {}, 'Dashboard'),
    h('div', { class: 'toolbar' }, h('span', {}, `Refreshes every ${REFRESH_MS / 1000} s.`), updated,
      h('span', { class: 'spacer' }), pause),
    notes, cards);

  let timer = null;
  let paused = false;
  let stopped = false;
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume updates' : 'Pause updates';
    if (!paused) refresh();
  });

  async function refresh() {
    clearTimeout(timer);
    try {
      const [overview, watermarks, metrics] = await Promise.all([
        api('/ui/api/overview'),
        api(`${ADMIN}/watermarks`).catch((error) => (missing(error) ? null : Promise.reject(error))),
        readMetrics(),
      ]);
      if (stopped) return;
      showError(null);
      draw(overview, watermarks, metrics);
      updated.textContent = `Last update ${new Date().toLocaleTimeString()}.`;
    } catch (error) {
      if (!stopped) showError(`Dashboard not updated: ${error.message}`);
    }
    if (!stopped && !paused) timer = setTimeout(refresh, REFRESH_MS);
  }

  function draw(overview, watermarks, metrics) {
    const messages = [];
    if (!watermarks) messages.push(`Watermarks: ${NO_ADMIN}.`);
    if (!metrics.available) messages.push('Rejected requests and dispatch lateness: /metrics is not available on this server, so they are not shown.');
    else {
      if (!metrics.rejectedSeen) messages.push('Rejected requests: none counted in /metrics since the server started.');
      if (!metrics.lateness) {
        messages.push(metrics.latenessExposed ? 'Dispatch lateness: no dispatches yet.'
          : 'Dispatch lateness: not exposed in /metrics by this server.');
      }
    }
    clear(notes, messages.map((text) => h('p', { class: 'note' }, text)));
    if (metrics.available && metrics.lateness) {
      notes.append(h('p', { class: 'ok-note' },
        `Dispatch lateness: ${metrics.lateness.mean.toFixed(2)} s on average over ${metrics.lateness.count} dispatches`
        + (metrics.lateness.max ? `, at most ${metrics.lateness.max.toFixed(2)} s.` : '.')));
    }
    const buckets = Math.round(60 / overview.bucketMinutes) + 1;
    clear(cards, overview.services.map((service) => card(service, overview, buckets, watermarks, metrics)));
    if (!overview.services.length) cards.append(h('p', {}, 'No callback service is configured.'));
  }

  function card(service, overview, buckets, watermarks, metrics) {
    const states = service.states;
    const total = STATES.reduce((sum, state) => sum + (states[state] || 0), 0);
    const stats = h('dl', { class: 'stats' }, STATES.map((state) =>
      h('div', {}, h('dt', {}, state), h('dd', { dataset: { state } }, states[state] || 0))));
    const facts = h('dl', { class: 'kv' },
      h('dt', {}, 'Stored'), h('dd', {}, total),
      h('dt', {}, 'Due in the next hour'), h('dd', { dataset: { fact: 'due' } }, service.dueNextHour),
      h('dt', {}, 'Watermark (in execution)'),
      h('dd', { dataset: { fact: 'watermark' } }, watermarks ? (watermarks.services?.[service.name] ?? 0) : 'n/a'));
    const rejected = metrics.available && metrics.rejected[service.name];
    const link = h('a', { href: `#/callbacks?service=${encodeURIComponent(service.name)}` }, 'See its callbacks');
    return h('section', { class: 'card', 'aria-labelledby': `svc-${service.name}` },
      h('h2', { id: `svc-${service.name}` }, service.name,
        service.configured ? null : h('span', { class: 'badge' }, 'not configured'),
        service.simulated ? h('span', { class: 'badge simulated', title: 'calls of this service are simulated (engine section)' }, 'SIMULATED') : null),
      stats, facts,
      rejected ? h('div', {}, h('h3', {}, 'Rejected by code'), h('dl', { class: 'kv' },
        Object.entries(rejected).sort().map(([code, n]) => [h('dt', {}, code), h('dd', {}, n)]))) : null,
      activityChart(service.activity, overview.chartStart, overview.bucketMinutes, buckets, service.name),
      h('p', { class: 'legend' },
        h('span', {}, h('span', { class: 'swatch accepted' }), 'accepted'),
        h('span', {}, h('span', { class: 'swatch completed' }), 'completed')),
      h('p', {}, link));
  }

  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
