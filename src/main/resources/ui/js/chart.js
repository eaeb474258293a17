// A small SVG chart of the last hour: accepted callbacks as bars, completed ones as a line.
import { svg } from './dom.js';

const WIDTH = 300;
const HEIGHT = 90;
const PAD = { left: 22, right: 6, top: 8, bottom: 16 };

/**
 * @param activity [{start, accepted, completed}] buckets with something in them
 * @param chartStart ISO start of the first bucket
 * @param bucketMinutes size of a bucket
 * @param buckets how many buckets the chart spans
 */
export function activityChart(activity, chartStart, bucketMinutes, buckets, service) {
  const start = Date.parse(chartStart);
  const size = bucketMinutes * 60000;
  const accepted = new Array(buckets).fill(0);
  const completed = new Array(buckets).fill(0);
  for (const bucket of activity) {
    const index = Math.round((Date.parse(bucket.start) - start) / size);
    if (index >= 0 && index < buckets) {
      accepted[index] += bucket.accepted;
      completed[index] += bucket.completed;
    }
  }
  const max = Math.max(1, ...accepted, ...completed);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / buckets;
  const y = (value) => PAD.top + plotH - (value / max) * plotH;
  const totalAccepted = accepted.reduce((a, b) => a + b, 0);
  const totalCompleted = completed.reduce((a, b) => a + b, 0);
  const label = `${service}, last hour in ${bucketMinutes}-minute steps: ${totalAccepted} accepted, ${totalCompleted} completed`;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': label },
    svg('title', {}, label));
  chart.append(
    svg('line', { x1: PAD.left, y1: PAD.top + plotH, x2: WIDTH - PAD.right, y2: PAD.top + plotH, stroke: '#7b8794' }),
    svg('line', { x1: PAD.left, y1: PAD.top, x2: WIDTH - PAD.right, y2: PAD.top, stroke: '#e4e7eb', 'stroke-dasharray': '3 3' }),
    svg('text', { x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end', 'font-size': 9, fill: '#4a5563' }, max),
    svg('text', { x: PAD.left - 4, y: PAD.top + plotH, 'text-anchor': 'end', 'font-size': 9, fill: '#4a5563' }, 0),
    svg('text', { x: PAD.left, y: HEIGHT - 3, 'font-size': 9, fill: '#4a5563' }, '−60 min'),
    svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 3, 'text-anchor': 'end', 'font-size': 9, fill: '#4a5563' }, 'now'));
  accepted.forEach((value, index) => {
    if (!value) return;
    chart.append(svg('rect', {
      x: PAD.left + index * step + 1.5, y: y(value), width: Math.max(1, step - 3), height: PAD.top + plotH - y(value),
      fill: '#0b5cad', opacity: 0.8,
    }, svg('title', {}, `${value} accepted`)));
  });
  const points = completed.map((value, index) => `${PAD.left + index * step + step / 2},${y(value)}`).join(' ');
  chart.append(svg('polyline', { points, fill: 'none', stroke: '#1e6b34', 'stroke-width': 2 }));
  completed.forEach((value, index) => {
    if (value) chart.append(svg('circle', { cx: PAD.left + index * step + step / 2, cy: y(value), r: 2.5, fill: '#1e6b34' }));
  });
  return chart;
}
