// Configuration: the options in force per service and section with what becomes of each, read-only, secrets masked.
import { configuration } from './api.js';
import { clear, field, h, hashParams, select, setHashParams } from './dom.js';

export async function render(root) {
  const params = hashParams();
  const config = await configuration(true);
  const choices = [
    ...config.services.map((service) => [`service:${service.name}`, `Service ${service.name}`]),
    ...config.sections.map((section) => [`section:${section.name}`, `Section [${section.name}]`]),
  ];
  const chosen = params.get('show') || (choices[0] && choices[0][0]);
  const form = h('form', { class: 'form-row', 'aria-label': 'Options to show' },
    field('Show', select('show', choices, chosen)),
    field('Filter', h('input', { name: 'filter', type: 'search', value: params.get('filter') || '', placeholder: 'name or description' })),
    h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'set', checked: params.get('set') === '1' }), 'Only options set in the file'));
  const table = h('div', { class: 'table-wrap' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  root.append(h('h1', {}, 'Configuration'),
    h('p', {}, 'Configuration in force, from ', h('span', { class: 'mono' }, config.origin),
      '. Read-only: edit the file; a valid change applies within a second. Secrets are masked.'
      + ' The Status column says whether OpenCallback acts on a value, passes it to ORS, or accepts and ignores it.'),
    h('ul', { class: 'plain', id: 'service-engines' }, config.services.map((service) => h('li', {},
      h('span', { class: 'mono' }, service.name), `: engine ${service.engine}, hand-offs to ${service.handOffs}`,
      service.simulated ? h('span', { class: 'badge simulated' }, 'SIMULATED') : null))),
    config.users.length ? h('p', { class: 'muted' }, `Users who may log in: ${config.users.join(', ')}.`) : null,
    form, count, table);

  function draw() {
    const show = form.elements.show.value;
    const filter = form.elements.filter.value.trim().toLowerCase();
    const onlySet = form.elements.set.checked;
    setHashParams('config', { show, filter, set: onlySet ? '1' : '' });
    const [kind, name] = [show.slice(0, show.indexOf(':')), show.slice(show.indexOf(':') + 1)];
    const source = kind === 'service' ? config.services.find((s) => s.name === name) : config.sections.find((s) => s.name === name);
    if (!source) { clear(table); return; }
    const options = source.options.filter((option) => (!onlySet || option.source === 'set')
      && (!filter || option.name.toLowerCase().includes(filter) || option.description.toLowerCase().includes(filter)));
    count.textContent = `${options.length} of ${source.options.length} options of [${source.section || source.name}].`;
    clear(table, h('table', { id: 'config-table' },
      h('caption', { class: 'visually-hidden' }, `Options of ${source.section || source.name}`),
      h('thead', {}, h('tr', {}, ['Option', 'Value', 'Status', 'From', 'Default', 'Meaning'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, options.map((option) => h('tr', {},
        h('th', { scope: 'row', class: 'mono' }, option.name, option.secret ? h('span', { class: 'badge secret' }, 'secret') : null),
        h('td', { class: 'mono' }, option.value ?? h('span', { class: 'muted' }, '—')),
        h('td', { class: 'status' }, h('span', { class: `badge status-${option.status}`, title: option.statusReason || '' }, option.statusLabel),
          option.statusReason ? h('div', { class: 'muted' }, option.statusReason) : null),
        h('td', {}, h('span', { class: `badge ${option.source === 'set' ? 'set' : ''}` }, option.source)),
        h('td', { class: 'mono' }, option.default ?? ''),
        h('td', {}, option.description, h('span', { class: 'muted' }, option.category ? ` (${option.category})` : '')))))));
  }

  form.addEventListener('input', draw);
  form.addEventListener('change', draw);
  form.addEventListener('submit', (event) => event.preventDefault());
  draw();
  return null;
}
