// The attacks timeline: one stacked bar per bucket, one segment per class, drawn as inline SVG
// at the container's pixel size (so text is never stretched).
import { classKey, localTime, num, s } from './dom.js';

const HEIGHT = 220;
const PAD = { top: 10, right: 12, bottom: 24, left: 44 };

// 1, 2, 5 x 10^n: a round step giving about `count` grid lines up to `max`.
function niceStep(max, count) {
  const raw = Math.max(max, 1) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return Math.max(1, m * pow);
  return 10 * pow;
}

function timeLabel(ms, spanMs) {
  const t = localTime(ms);
  return spanMs > 2 * 86400000 ? t.slice(5, 16) : t.slice(11, 16);
}

// stats: the /api/v1/stats response; order: classes bottom to top.
export function drawTimeline(container, stats, order) {
  const width = Math.max(container.clientWidth, 320);
  const since = Date.parse(stats.since);
  const until = Date.parse(stats.until);
  const bucketMs = (stats.bucket_seconds || 60) * 1000;
  const buckets = (stats.timeline || []).map((b) => ({ ...b, t: Date.parse(b.time) }));
  const spanMs = Math.max(until - since, bucketMs);
  const max = buckets.reduce((m, b) => Math.max(m, b.total || 0), 0);
  const step = niceStep(max, 4);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (t) => PAD.left + ((t - since) / spanMs) * plotW;
  const y = (v) => PAD.top + plotH - (v / top) * plotH;
  const barW = Math.max(1, (bucketMs / spanMs) * plotW - 1);

  const svg = s('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'timeline' });
  for (let v = 0; v <= top; v += step) {
    svg.append(s('line', { x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: PAD.left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, num(v)));
  }
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = since + (spanMs * i) / ticks;
    const anchor = i === 0 ? 'start' : i === ticks ? 'end' : 'middle';
    svg.append(s('text', { x: x(t), y: HEIGHT - 6, class: 'axis', 'text-anchor': anchor }, timeLabel(t, spanMs)));
  }
  for (const b of buckets) {
    if (!b.total) continue;
    // A bucket that starts before the range (buckets are aligned, the range is not) is clipped to it.
    const left = Math.max(PAD.left, x(b.t));
    const right = Math.min(width - PAD.right, x(b.t) + barW);
    if (right <= left) continue;
    const g = s('g', { class: 'bar', 'data-time': b.time, 'data-total': b.total });
    const parts = [];
    let base = 0;
    const byClass = b.by_class || {};
    const classes = [...order.filter((c) => c in byClass), ...Object.keys(byClass).filter((c) => !order.includes(c))];
    for (const cls of classes) {
      const n = byClass[cls];
      if (!n) continue;
      g.append(s('rect', { x: left, width: right - left, y: y(base + n), height: Math.max(0.5, y(base) - y(base + n)), class: `seg ${classKey(cls)}`, 'data-class': cls }));
      base += n;
      parts.push(`${cls}: ${num(n)}`);
    }
    // A native tooltip: a text node, so a class name cannot inject anything.
    g.append(s('title', {}, `${localTime(b.t)} · ${num(b.total)} attacks\n${parts.join('\n')}`));
    svg.append(g);
  }
  if (max === 0) {
    svg.append(s('text', { x: PAD.left + plotW / 2, y: PAD.top + plotH / 2, class: 'empty', 'text-anchor': 'middle' }, 'no attacks in this range'));
  }
  container.replaceChildren(svg);
}
