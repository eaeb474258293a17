// Test panel: create a callback (now or at a slot) as GMS's sample panel does, then follow it.
import { api, serviceNames } from './api.js';
import { announce, clear, field, fmtTime, h, hashParams, select, showError, stateBadge } from './dom.js';

const POLL_MS = 1000;

function fmtSlot(iso) {
  return new Date(iso).toLocaleString(undefined, { weekday: 'short', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export async function render(root) {
  const params = hashParams();
  const services = await serviceNames();
  if (!services.length) {
    root.append(h('h1', {}, 'Test panel'), h('p', {}, 'No callback service is configured.'));
    return null;
  }
  const presetSlot = params.get('slot');
  const number = `+1555${String(Math.floor(Math.random() * 9000000) + 1000000)}`;
  const when = (value, text, checked) => h('label', { class: 'inline' },
    h('input', { type: 'radio', name: 'when', value, checked }), text);
  const slotSelect = h('select', { name: 'slot' }, h('option', { value: '' }, 'Loading slots…'));
  const form = h('form', { 'aria-label': 'New callback' },
    h('fieldset', {}, h('legend', {}, 'Callback'),
      h('div', { class: 'form-row' },
        field('Service', select('service', services.map((s) => [s, s]), params.get('service') || services[0])),
        field('Customer number', h('input', { name: 'number', type: 'tel', required: true, value: number, autocomplete: 'off' })),
        field('User data (key=value per line)', h('textarea', { name: 'data', rows: 2, cols: 28, placeholder: 'order=A-1001' })))),
    h('fieldset', {}, h('legend', {}, 'When'),
      h('div', { class: 'form-row' },
        when('now', 'As soon as possible', !presetSlot),
        when('slot', 'At a slot', Boolean(presetSlot)),
        field('Slot (your time zone)', slotSelect))),
    h('button', { type: 'submit' }, 'Create callback'));
  const outcome = h('section', { 'aria-live': 'polite', id: 'test-outcome' });
  root.append(h('h1', {}, 'Test panel'), form, outcome);

  let timer = null;
  let stopped = false;

  async function loadSlots() {
    const service = form.elements.service.value;
    clear(slotSelect, h('option', { value: '' }, 'Loading slots…'));
    try {
      const body = await api(`/genesys/2/service/callback/${encodeURIComponent(service)}/availability`,
        { params: { 'number-of-days': 3, 'max-time-slots': 200 } });
      const options = body.slots.filter((slot) => slot.capacity > 0).map((slot) =>
        h('option', { value: slot.utcTime, selected: slot.utcTime === presetSlot }, `${fmtSlot(slot.utcTime)} · ${slot.capacity}/${slot.total} free`));
      if (presetSlot && !options.some((option) => option.value === presetSlot)) {
        options.unshift(h('option', { value: presetSlot, selected: true }, `${fmtTime(presetSlot)} (chosen)`));
      }
      clear(slotSelect, options.length ? options : h('option', { value: '' }, 'No free slot in the next 3 days'));
    } catch (error) {
      clear(slotSelect, h('option', { value: '' }, `Slots not available: ${error.message}`));
    }
  }

  form.elements.service.addEventListener('change', loadSlots);
  slotSelect.addEventListener('change', () => { form.elements.when.value = 'slot'; });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const service = form.elements.service.value;
    const body = { _customer_number: form.elements.number.value.trim() };
    for (const line of form.elements.data.value.split('\n')) {
      const index = line.indexOf('=');
      if (index > 0) body[line.slice(0, index).trim()] = line.slice(index + 1).trim();
    }
    if (form.elements.when.value === 'slot') {
      if (!slotSelect.value) {
        showError('Choose a slot, or "As soon as possible".');
        slotSelect.focus();
        return;
      }
      body._desired_time = slotSelect.value;
    }
    try {
      const answer = await api(`/genesys/1/service/callback/${encodeURIComponent(service)}`, { method: 'POST', body });
      showError(null);
      announce(`Callback ${answer._id} created`);
      follow(service, answer);
    } catch (error) {
      const proposals = error.body && error.body.availability ? Object.entries(error.body.availability) : [];
      clear(outcome, h('h2', {}, 'Refused'), h('p', { class: 'error' }, error.message),
        proposals.length ? h('div', {}, h('p', {}, 'Proposed slots:'), h('div', { class: 'slots' }, proposals.map(([time, free]) =>
          h('button', { type: 'button', class: 'secondary', onclick: () => {
            clear(slotSelect, h('option', { value: time, selected: true }, `${fmtTime(time)} · ${free} free`));
            form.elements.when.value = 'slot';
            form.requestSubmit();
          } }, `${fmtTime(time)} (${free} free)`)))) : null);
    }
  });

  function follow(service, answer) {
    const url = `/genesys/1/service/callback/${encodeURIComponent(service)}/${encodeURIComponent(answer._id)}`;
    const state = h('p', { id: 'test-state' });
    const history = h('ol', { class: 'timeline', id: 'test-history' });
    const properties = h('dl', { class: 'kv' });
    clear(outcome, h('h2', {}, 'Callback ', h('span', { class: 'mono', id: 'test-id' }, answer._id)),
      answer._text ? h('p', {}, `“${answer._text}”`) : null, state, h('h3', {}, 'States'), history,
      h('h3', {}, 'Properties'), properties,
      h('p', {}, h('a', { href: `#/callbacks?service=${encodeURIComponent(service)}&customer=${encodeURIComponent(form.elements.number.value.trim())}` }, 'Find it in Callbacks')));
    let lastState = null;
    async function poll() {
      try {
        const [callback, changes] = await Promise.all([api(url), api(`${url}/history`)]);
        if (stopped) return;
        if (callback._callback_state !== lastState) {
          lastState = callback._callback_state;
          announce(`State ${lastState}`);
        }
        clear(state, 'Now ', stateBadge(callback._callback_state), callback._callback_reason ? ` ${callback._callback_reason}` : '',
          callback._callback_state === 'COMPLETED' ? ' — done.' : ` — checking every ${POLL_MS / 1000} s…`);
        clear(history, changes.map((change) => h('li', {}, stateBadge(change._callback_state), ' ',
          change._callback_reason || '', ' · ', fmtTime(change.time), h('span', { class: 'muted' }, ` · by ${change.source}`))));
        clear(properties, Object.entries(callback).filter(([key]) => key !== '_url').map(([key, value]) =>
          [h('dt', { class: 'mono' }, key), h('dd', { class: 'mono' }, typeof value === 'object' ? JSON.stringify(value) : String(value))]));
        if (callback._callback_state === 'COMPLETED') return;
      } catch (error) {
        clear(state, h('span', { class: 'error' }, `Cannot read the callback: ${error.message}`));
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    poll();
  }

  await loadSlots();
  return () => { stopped = true; clearTimeout(timer); };
}
