// Reads the Prometheus text of /metrics for what the dashboard shows: rejections by code and
// dispatch lateness. Metric names are matched loosely, so the dashboard follows the server's.
import { send } from './api.js';

export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/);
    if (!match) continue;
    const labels = {};
    for (const pair of (match[3] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]] = pair[2].replace(/\\(.)/g, '$1');
    }
    samples.push({ name: match[1], labels, value: Number(match[4]) });
  }
  return samples;
}

/** {available, rejected: {service: {code: n}}, lateness: {mean, count} | null, latenessExposed} */
export async function readMetrics() {
  let response;
  try {
    response = await send('/metrics', { accept: 'text/plain' });
  } catch {
    return { available: false };
  }
  if (!response.ok) return { available: false };
  const samples = parse(await response.text());
  const rejected = {};
  let rejectedSeen = false;
  for (const sample of samples) {
    if (!/reject/i.test(sample.name) || /_created$|_bucket$/.test(sample.name)) continue;
    const code = sample.labels.code || sample.labels.error_code || sample.labels.reason;
    if (!code) continue;
    rejectedSeen = true;
    const service = sample.labels.service || sample.labels.service_name || sample.labels.svc || '(any)';
    rejected[service] = rejected[service] || {};
    rejected[service][code] = (rejected[service][code] || 0) + sample.value;
  }
  const sum = samples.filter((s) => /lateness/i.test(s.name) && /_sum$/.test(s.name)).reduce((a, s) => a + s.value, 0);
  const count = samples.filter((s) => /lateness/i.test(s.name) && /_count$/.test(s.name)).reduce((a, s) => a + s.value, 0);
  const max = samples.filter((s) => /lateness/i.test(s.name) && /_max$/.test(s.name)).reduce((a, s) => Math.max(a, s.value), 0);
  const unitMs = samples.some((s) => /lateness/i.test(s.name) && /millis|_ms/.test(s.name));
  const lateness = count > 0 ? { mean: (sum / count) / (unitMs ? 1000 : 1), max: max / (unitMs ? 1000 : 1), count } : null;
  // the timer is there from the start (count 0) on a server that measures it
  const latenessExposed = samples.some((s) => /lateness/i.test(s.name));
  return { available: true, rejectedSeen, rejected, lateness, latenessExposed };
}
