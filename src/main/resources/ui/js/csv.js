// CSV as RFC 4180 writes it: every field quoted when it holds a comma, quote or line break.
// A field that a spreadsheet would run as a formula (=, @, or + / - not followed by a number) is
// prefixed with a quote mark; phone numbers such as +15551234567 stay as they are.

const FIXED = ['_id', '_service_name', '_callback_state', '_callback_reason', '_customer_number',
  '_desired_time', '_expiration_time', '_time_scheduled'];

export function field(value) {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=@\t\r]/.test(text) || (/^[+-]/.test(text) && !/^[+-][\d\s().-]*$/.test(text))) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Callbacks (as the API answers them) to CSV: fixed columns first, then every other property. */
export function callbacksToCsv(callbacks) {
  const extra = new Set();
  for (const callback of callbacks) {
    for (const key of Object.keys(callback)) if (!FIXED.includes(key) && key !== '_url') extra.add(key);
  }
  const columns = [...FIXED, ...[...extra].sort()];
  const lines = [columns.map(field).join(',')];
  for (const callback of callbacks) lines.push(columns.map((column) => field(callback[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
