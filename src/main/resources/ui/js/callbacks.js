// Callbacks: filter, page by 250, detail with history, bulk cancel, CSV exports.
import { ADMIN, NO_ADMIN, api, missing, send, serviceNames, failure } from './api.js';
import { callbacksToCsv } from './csv.js';
import {
  announce, clear, download, field, fmtTime, h, hashParams, isoToLocalInput, localInputToIso, select,
  setHashParams, showError, stateBadge,
} from './dom.js';

const STATES = ['SCHEDULED', 'QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED', 'COMPLETED'];
const MAX_EXPORT_PAGES = 200;

export async function render(root) {
  const params = hashParams();
  const services = await serviceNames();
  const form = h('form', { class: 'form-row', role: 'search', 'aria-label': 'Filter callbacks' },
    field('Service', select('service', [['', 'All services'], ...services.map((s) => [s, s])], params.get('service') || '')),
    field('State', select('state', [['', 'All states'], ...STATES.map((s) => [s, s])], params.get('state') || '')),
    field('Customer number', h('input', { name: 'customer', type: 'search', inputmode: 'tel', autocomplete: 'off',
      value: params.get('customer') || '', placeholder: 'part of the number' })),
    field('Desired from', h('input', { name: 'from', type: 'datetime-local', value: isoToLocalInput(params.get('from')) })),
    field('Desired before', h('input', { name: 'to', type: 'datetime-local', value: isoToLocalInput(params.get('to')) })),
    h('button', { type: 'submit' }, 'Search'),
    h('button', { type: 'reset', class: 'secondary' }, 'Clear'));
  const summary = h('p', { id: 'result-summary', 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager' });
  const cancelButton = h('button', { type: 'button', class: 'danger', disabled: true }, 'Cancel selected');
  const exportButton = h('button', { type: 'button', class: 'secondary' }, 'Export filtered (CSV)');
  const cancelledButton = h('button', { type: 'button', class: 'secondary' }, 'Export cancelled (CSV)');
  const notice = h('div');
  const tableWrap = h('div', { class: 'table-wrap' });
  const dialog = h('dialog', { 'aria-labelledby': 'detail-title' });
  root.append(h('h1', {}, 'Callbacks'), form,
    h('div', { class: 'toolbar' }, summary, h('span', { class: 'spacer' }), pager),
    h('div', { class: 'toolbar' }, cancelButton, exportButton, cancelledButton), notice, tableWrap, dialog);

  let page = Number(params.get('page') || 0);
  let result = null;
  const selected = new Set();

  function filters() {
    const data = new FormData(form);
    return {
      service: data.get('service'), state: data.get('state'), customer: data.get('customer').trim(),
      from: localInputToIso(data.get('from')), to: localInputToIso(data.get('to')),
    };
  }

  async function load() {
    const filter = filters();
    setHashParams('callbacks', { ...filter, page: page ? String(page) : '' });
    try {
      result = await api('/ui/api/callbacks', { params: { ...filter, page } });
      showError(null);
    } catch (error) {
      showError(`Search failed: ${error.message}`);
      return;
    }
    draw();
  }

  function draw() {
    const { total, pages, items, pageSize } = result;
    const first = total ? page * pageSize + 1 : 0;
    summary.textContent = total
      ? `${total} callback${total === 1 ? '' : 's'}, showing ${first}–${page * pageSize + items.length}, by desired time.`
      : 'No callback matches these filters.';
    clear(pager,
      h('button', { type: 'button', class: 'secondary', disabled: page <= 0, onclick: () => { page -= 1; load(); } }, 'Previous page'),
      h('span', {}, `Page ${pages ? page + 1 : 0} of ${pages}`),
      h('button', { type: 'button', class: 'secondary', disabled: page + 1 >= pages, onclick: () => { page += 1; load(); } }, 'Next page'));
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select every callback on this page',
      checked: items.length > 0 && items.every((c) => selected.has(c._id)) });
    all.addEventListener('change', () => {
      for (const callback of items) if (all.checked) selected.add(callback._id); else selected.delete(callback._id);
      draw();
    });
    const rows = items.map((callback) => {
      const box = h('input', { type: 'checkbox', checked: selected.has(callback._id),
        'aria-label': `Select callback ${callback._id}`, dataset: { id: callback._id } });
      box.addEventListener('change', () => {
        if (box.checked) selected.add(callback._id); else selected.delete(callback._id);
        updateSelection();
      });
      return h('tr', { dataset: { id: callback._id } },
        h('td', {}, box),
        h('td', {}, fmtTime(callback._desired_time)),
        h('td', {}, callback._service_name),
        h('td', {}, stateBadge(callback._callback_state)),
        h('td', {}, callback._callback_reason || ''),
        h('td', { class: 'mono' }, callback._customer_number || ''),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => detail(callback) }, callback._id)));
    });
    clear(tableWrap, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Callbacks matching the filters'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), ['Desired time (your zone)', 'Service', 'State', 'Reason',
        'Customer number', 'Id (details)'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, rows)));
    updateSelection();
  }

  function updateSelection() {
    cancelButton.disabled = selected.size === 0;
    cancelButton.textContent = selected.size ? `Cancel selected (${selected.size})` : 'Cancel selected';
  }

  async function detail(callback) {
    const url = `/genesys/1/service/callback/${encodeURIComponent(callback._service_name)}/${encodeURIComponent(callback._id)}`;
    const body = h('div', { class: 'dialog-body' }, h('p', {}, 'Loading…'));
    const close = h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Close');
    clear(dialog, h('header', {}, h('h2', { id: 'detail-title' }, 'Callback ', h('span', { class: 'mono' }, callback._id)), close), body);
    dialog.showModal();
    close.focus();
    try {
      const [full, history] = await Promise.all([api(url), api(`${url}/history`)]);
      clear(body,
        h('h3', {}, 'Properties'),
        h('div', { class: 'table-wrap' }, h('table', { id: 'detail-properties' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Property'), h('th', { scope: 'col' }, 'Value'))),
          h('tbody', {}, Object.entries(full).map(([key, value]) => h('tr', {},
            h('th', { scope: 'row', class: 'mono' }, key),
            h('td', { class: 'mono' }, typeof value === 'object' ? JSON.stringify(value) : String(value))))))),
        h('h3', {}, 'State history'),
        h('ol', { class: 'timeline', id: 'detail-history' }, history.map((change) => h('li', {},
          stateBadge(change._callback_state), ' ', change._callback_reason || '', ' · ', fmtTime(change.time),
          h('span', { class: 'muted' }, ` · by ${change.source}`)))),
        full._callback_state !== 'COMPLETED'
          ? h('button', { type: 'button', class: 'danger', onclick: async () => {
            try {
              await api(url, { method: 'DELETE' });
              announce('Callback cancelled');
              dialog.close();
              load();
            } catch (error) {
              clear(body, h('p', { class: 'error' }, `Cancel failed: ${error.message}`));
            }
          } }, 'Cancel this callback') : null);
    } catch (error) {
      clear(body, h('p', { class: 'error' }, `Cannot load the callback: ${error.message}`));
    }
  }

  cancelButton.addEventListener('click', async () => {
    const ids = [...selected];
    if (!ids.length || !window.confirm(`Cancel ${ids.length} callback${ids.length === 1 ? '' : 's'}? They end COMPLETED / CANCELLED_BY_ADMIN.`)) return;
    cancelButton.disabled = true;
    try {
      const answer = await api(`${ADMIN}/cancel`, { method: 'POST', body: { reason: 'CANCELLED_BY_ADMIN', ids } });
      const errors = Array.isArray(answer?.errors) ? answer.errors : [];
      const done = Array.isArray(answer?.cancelled) ? answer.cancelled.length : ids.length - errors.length;
      clear(notice, h('p', { class: errors.length ? 'note' : 'ok-note', id: 'cancel-outcome' },
        `Cancelled ${done} of ${ids.length} (CANCELLED_BY_ADMIN).`,
        errors.length ? ` Not cancelled: ${errors.map((e) => `${e._id || e.id || ''} ${e.message || ''}`).join('; ')}` : ''));
    } catch (error) {
      if (!missing(error)) {
        clear(notice, h('p', { class: 'error' }, `Bulk cancel failed: ${error.message}`));
        updateSelection();
        return;
      }
      await cancelOneByOne(ids);
    }
    selected.clear();
    announce('Bulk cancel done');
    load();
  });

  /** Without the admin API: the public cancel, one by one (reason CANCELLED), said so clearly. */
  async function cancelOneByOne(ids) {
    const byId = new Map(result.items.map((c) => [c._id, c]));
    const failed = [];
    for (const id of ids) {
      const callback = byId.get(id);
      const service = callback ? callback._service_name : filters().service;
      try {
        await api(`/genesys/1/service/callback/${encodeURIComponent(service)}/${encodeURIComponent(id)}`, { method: 'DELETE' });
      } catch (error) {
        failed.push(`${id}: ${error.message}`);
      }
    }
    clear(notice, h('p', { class: 'note', id: 'cancel-outcome' },
      `Bulk cancel: ${NO_ADMIN}. Cancelled ${ids.length - failed.length} of ${ids.length} one by one through the public API instead (reason CANCELLED, not CANCELLED_BY_ADMIN).`,
      failed.length ? ` Failed: ${failed.join('; ')}` : ''));
  }

  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      const filter = filters();
      const all = [];
      for (let index = 0; index < MAX_EXPORT_PAGES; index += 1) {
        const chunk = await api('/ui/api/callbacks', { params: { ...filter, page: index } });
        all.push(...chunk.items);
        if (index + 1 >= chunk.pages) break;
      }
      download('callbacks.csv', callbacksToCsv(all));
      clear(notice, h('p', { class: 'ok-note' }, `Exported ${all.length} callback${all.length === 1 ? '' : 's'} to callbacks.csv.`));
    } catch (error) {
      clear(notice, h('p', { class: 'error' }, `Export failed: ${error.message}`));
    } finally {
      exportButton.disabled = false;
    }
  });

  cancelledButton.addEventListener('click', async () => {
    try {
      const response = await send(`${ADMIN}/reportcancelled`, {
        method: 'POST', accept: 'text/csv, application/json', body: { callback_reason: 'CANCELLED_BY_ADMIN' },
      });
      if (response.status === 204) {
        clear(notice, h('p', { class: 'note' }, 'No callback cancelled by an administrator to export.'));
      } else if (response.status === 404 || response.status === 405) {
        clear(notice, h('p', { class: 'note' }, `Export of cancelled callbacks: ${NO_ADMIN}.`));
      } else if (!response.ok) {
        const text = await response.text();
        let data = text;
        try { data = JSON.parse(text); } catch { /* text */ }
        throw failure(response.status, data);
      } else {
        download('report.csv', await response.blob());
        clear(notice, h('p', { class: 'ok-note' }, 'Cancelled callbacks exported to report.csv.'));
      }
    } catch (error) {
      clear(notice, h('p', { class: 'error' }, `Export of cancelled callbacks failed: ${error.message}`));
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    page = 0;
    selected.clear();
    load();
  });
  form.addEventListener('reset', () => setTimeout(() => { page = 0; selected.clear(); load(); }));
  await load();
  return () => { if (dialog.open) dialog.close(); };
}
