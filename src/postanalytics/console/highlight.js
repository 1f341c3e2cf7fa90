// Finds the evidence of each finding in the request excerpt. The engine reports evidence as it
// matched it, after decoding, while the excerpt is the request as sent, so the search runs over
// the raw text, then over its percent-decoded form ('+' as space in forms and queries), then over a
// second decoding (double-encoded attacks), mapping each match back to the raw characters.
// Pure: no DOM, so node can test it.

// A decoded view of `text`: for every character of `out`, the raw range [from[i], to[i]) it came from.
function percentDecode(text) {
  const out = [];
  const from = [];
  const to = [];
  const bytes = [];
  const byteStarts = [];
  const flush = (end) => {
    // Decode the %XX run one UTF-8 sequence at a time, so each character maps to its own bytes.
    let i = 0;
    while (i < bytes.length) {
      const lead = bytes[i];
      const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      const n = Math.min(len, bytes.length - i);
      const chunk = new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes.slice(i, i + n)));
      const start = byteStarts[i];
      const stop = i + n < bytes.length ? byteStarts[i + n] : end;
      for (const ch of chunk) {
        for (let k = 0; k < ch.length; k++) {
          out.push(ch[k]);
          from.push(start);
          to.push(stop);
        }
      }
      i += n;
    }
    bytes.length = 0;
    byteStarts.length = 0;
  };
  for (let i = 0; i < text.length;) {
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      byteStarts.push(i);
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
      continue;
    }
    flush(i);
    out.push(text[i] === '+' ? ' ' : text[i]);
    from.push(i);
    to.push(i + 1);
    i += 1;
  }
  flush(text.length);
  return { text: out.join(''), from, to };
}

// ASCII-only lower case keeps every index in place (toLowerCase may change lengths).
function fold(text) {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function occurrences(haystack, needle) {
  const found = [];
  if (!needle) return found;
  const h = fold(haystack);
  const n = fold(needle);
  for (let at = h.indexOf(n); at !== -1; at = h.indexOf(n, at + n.length)) found.push([at, at + n.length]);
  return found;
}

// Ranges [start, end) of `excerpt` where `evidence` occurs, in the first view where it occurs at all.
export function locate(excerpt, evidence) {
  if (!excerpt || !evidence) return [];
  const direct = occurrences(excerpt, evidence);
  if (direct.length) return direct;
  let view = { text: excerpt, from: null, to: null };
  for (let depth = 0; depth < 2; depth++) {
    const next = percentDecode(view.text);
    if (next.text === view.text) break;
    // Compose with the previous view so ranges always point into the raw excerpt.
    if (view.from) {
      next.from = next.from.map((i) => view.from[i]);
      next.to = next.to.map((i) => view.to[i - 1]);
    }
    view = next;
    const found = occurrences(view.text, evidence);
    if (found.length) return found.map(([a, b]) => [view.from[a], view.to[b - 1]]);
  }
  return [];
}

// Splits the excerpt into segments for display: [{text, findings: [indexes]}], where findings
// lists the findings whose evidence covers that segment (empty: plain text).
export function segments(excerpt, evidences) {
  const cuts = new Set([0, excerpt.length]);
  const ranges = [];
  evidences.forEach((evidence, index) => {
    for (const [a, b] of locate(excerpt, evidence)) {
      ranges.push({ a, b, index });
      cuts.add(a);
      cuts.add(b);
    }
  });
  const points = [...cuts].sort((x, y) => x - y);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    const findings = [...new Set(ranges.filter((r) => r.a <= a && b <= r.b).map((r) => r.index))];
    const last = out[out.length - 1];
    if (last && last.findings.length === 0 && findings.length === 0) last.text += excerpt.slice(a, b);
    else out.push({ text: excerpt.slice(a, b), findings });
  }
  return out;
}
