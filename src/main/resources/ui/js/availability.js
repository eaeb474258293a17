// Availability: a week of a service's slots (v2 API) in a chosen time zone, an hour per row.
import { api, serviceNames } from './api.js';
import { clear, field, h, hashParams, select, setHashParams, showError } from './dom.js';
import { browserZone, zones } from './zones.js';

const DAY_MS = 86400000;

export async function render(root) {
  const params = hashParams();
  const services = await serviceNames();
  if (!services.length) {
    root.append(h('h1', {}, 'Availability'), h('p', {}, 'No callback service is configured.'));
    return null;
  }
  const today = new Date().toISOString().slice(0, 10);
  const zoneList = h('datalist', { id: 'zone-list' }, zones().map((zone) => h('option', { value: zone })));
  const form = h('form', { class: 'form-row', 'aria-label': 'Week to show' },
    field('Service', select('service', services.map((s) => [s, s]), params.get('service') || services[0])),
    field('Time zone', h('input', { name: 'zone', list: 'zone-list', value: params.get('zone') || browserZone(),
      autocomplete: 'off', spellcheck: 'false' })),
    field('Week from', h('input', { name: 'start', type: 'date', value: params.get('start') || today, required: true })),
    h('button', { type: 'submit' }, 'Show'),
    h('button', { type: 'button', class: 'secondary', onclick: () => shift(-7) }, 'Previous week'),
    h('button', { type: 'button', class: 'secondary', onclick: () => shift(7) }, 'Next week'), zoneList);
  const info = h('p', { class: 'muted', 'aria-live': 'polite' });
  const grid = h('div', { class: 'table-wrap' });
  const slotPanel = h('section', { 'aria-live': 'polite' });
  root.append(h('h1', {}, 'Availability'), form, info,
    h('p', { class: 'legend' }, 'Each cell: free / total places in that hour. Closed hours are hatched. Choose an hour to see its slots and book one.'),
    grid, slotPanel);

  function shift(days) {
    const start = new Date(`${form.elements.start.value}T00:00:00Z`);
    form.elements.start.value = new Date(start.getTime() + days * DAY_MS).toISOString().slice(0, 10);
    load();
  }

  async function load() {
    const service = form.elements.service.value;
    const zone = form.elements.zone.value.trim() || 'UTC';
    const start = form.elements.start.value || today;
    setHashParams('availability', { service, zone, start });
    clear(slotPanel);
    let body;
    try {
      body = await api(`/genesys/2/service/callback/${encodeURIComponent(service)}/availability`, {
        params: { start: `${start}T00:00:00.000`, 'number-of-days': 7, timezone: zone, 'report-busy': 'true' },
      });
      showError(null);
    } catch (error) {
      showError(`Availability not loaded: ${error.message}`);
      clear(grid);
      return;
    }
    draw(body, service, zone, start);
  }

  function draw(body, service, zone, start) {
    const days = [];
    const first = new Date(`${start}T00:00:00Z`);
    for (let i = 0; i < 7; i += 1) days.push(new Date(first.getTime() + i * DAY_MS).toISOString().slice(0, 10));
    const cells = new Map();
    for (const slot of body.slots) {
      const key = `${slot.localTime.slice(0, 10)} ${slot.localTime.slice(11, 13)}`;
      const cell = cells.get(key) || { free: 0, total: 0, slots: [] };
      cell.free += slot.capacity;
      cell.total += slot.total;
      cell.slots.push(slot);
      cells.set(key, cell);
    }
    const hours = [...cells.keys()].map((key) => Number(key.slice(11)));
    const firstHour = hours.length ? Math.min(...hours) : 0;
    const lastHour = hours.length ? Math.max(...hours) : 23;
    const freeTotal = body.slots.reduce((sum, slot) => sum + slot.capacity, 0);
    info.textContent = `${body.slots.length} slots of ${body.durationMin} minutes in ${body.timezoneId || zone}`
      + ` (${body.timezone}); ${freeTotal} places free this week.`
      + (hours.length ? '' : ' Closed all week (or fully in the past).');
    const dayName = (day) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
    // "YYYY-MM-DD HH" of now in the zone: earlier cells without slots are past, not closed
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', hourCycle: 'h23' }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    const nowKey = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}`;
    const rows = [];
    for (let hour = firstHour; hour <= lastHour; hour += 1) {
      const label = `${String(hour).padStart(2, '0')}:00`;
      rows.push(h('tr', {}, h('th', { scope: 'row' }, label), days.map((day) => {
        const cell = cells.get(`${day} ${String(hour).padStart(2, '0')}`);
        const key = `${day} ${String(hour).padStart(2, '0')}`;
        if (!cell && key < nowKey) return h('td', { class: 'past' }, 'past');
        if (!cell) return h('td', { class: 'closed' }, 'closed');
        const level = cell.free === 0 ? 'full' : cell.free * 4 <= cell.total ? 'low' : 'free';
        const button = h('button', { type: 'button', 'aria-pressed': 'false',
          'aria-label': `${dayName(day)} ${label}: ${cell.free} free of ${cell.total}`,
          dataset: { day, hour: String(hour) } }, `${cell.free} / ${cell.total}`);
        button.addEventListener('click', () => {
          for (const other of grid.querySelectorAll('button[aria-pressed="true"]')) other.setAttribute('aria-pressed', 'false');
          button.setAttribute('aria-pressed', 'true');
          showSlots(service, zone, day, label, cell.slots);
        });
        return h('td', { class: level }, button);
      })));
    }
    clear(grid, h('table', { class: 'week' },
      h('caption', {}, `${service}: week from ${dayName(days[0])}, times in ${zone}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hour'), days.map((day) => h('th', { scope: 'col' }, dayName(day))))),
      h('tbody', {}, rows)));
  }

  function showSlots(service, zone, day, label, slots) {
    clear(slotPanel, h('h2', {}, `Slots on ${day} from ${label} (${zone})`),
      h('div', { class: 'slots' }, slots.map((slot) => {
        const text = `${slot.localTime.slice(11, 16)} · ${slot.capacity}/${slot.total} free`;
        if (!slot.capacity) return h('button', { type: 'button', class: 'secondary', disabled: true }, `${text} (full)`);
        return h('a', { class: 'button', href: `#/test?service=${encodeURIComponent(service)}&slot=${encodeURIComponent(slot.utcTime)}` },
          `Book ${text}`);
      })));
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  await load();
  return null;
}
