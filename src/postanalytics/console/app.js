// The console: state lives in the URL fragment (#range=1h&class=sqli&event=42), so a view can be
// shared and the back button works; every change of it reloads what it shows from the API.
import { Unauthorized, getJson, setToken, token } from './api.js';
import { drawTimeline } from './chart.js';
import { ACTIONS, KNOWN_CLASSES, actionKey, classKey, clear, fromLocalInput, h, localTime, num, toLocalInput } from './dom.js';
import { exceptionText } from './exception.js';
import { segments } from './highlight.js';

const PAGE_SIZE = 50;
const FILTERS = ['class', 'action', 'namespace', 'app', 'ip', 'path'];
const RANGES = { '15m': 15 * 60, '1h': 3600, '6h': 6 * 3600, '24h': 86400, '7d': 7 * 86400, '30d': 30 * 86400 };
// About 60 bars whatever the range: bucket seconds per preset.
const BUCKETS = { '15m': 15, '1h': 60, '6h': 300, '24h': 1200, '7d': 3 * 3600, '30d': 12 * 3600 };
const NICE_BUCKETS = [15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400];

const $ = (id) => document.getElementById(id);

const view = {
  cursors: [null],   // cursor of each page visited: [null, c1, c2...]; the last is the current page
  nextCursor: null,
  matched: 0,
  lastStats: null,
  window: null,      // {since, until, bucket} of the list shown
  classOrder: [],
  loadSeq: 0,
  firstRender: true,
};

// --- state in the fragment ------------------------------------------------------------------

function readState() {
  const p = new URLSearchParams(location.hash.slice(1));
  const state = { range: p.get('range') || '1h', since: p.get('since') || '', until: p.get('until') || '', event: p.get('event') || '' };
  if (!(state.range in RANGES) && state.range !== 'custom') state.range = '1h';
  for (const f of FILTERS) state[f] = p.get(f) || '';
  return state;
}

function writeState(changes) {
  const state = { ...readState(), ...changes };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v) p.set(k, v);
  const hash = `#${p.toString()}`;
  if (hash !== location.hash) location.hash = hash;
  else route();
}

// The time window of a state: [since, until] in ms and the bucket size in seconds.
function windowOf(state) {
  if (state.range === 'custom') {
    const until = Number(state.until) || Date.now();
    const since = Number(state.since) || until - 3600 * 1000;
    const target = Math.max(1, (until - since) / 1000 / 60);
    const bucket = NICE_BUCKETS.find((b) => b >= target) || 86400;
    return { since, until, bucket };
  }
  const until = Date.now();
  return { since: until - RANGES[state.range] * 1000, until, bucket: BUCKETS[state.range] };
}

function filterParams(state) {
  const out = {};
  for (const f of FILTERS) out[f] = state[f];
  return out;
}

// --- loading ----------------------------------------------------------------------------------

let lastListKey = '';

async function route() {
  const state = readState();
  syncForms(state);
  const listKey = JSON.stringify({ ...state, event: '' });
  if (listKey !== lastListKey) {
    lastListKey = listKey;
    view.cursors = [null];
    await load(state);
  }
  if (state.event) openDetail(state.event);
  else if ($('detail').open) $('detail').close();
}

async function load(state, pageOnly = false) {
  const seq = ++view.loadSeq;
  // Pages of one list share its window, so "now" moving on does not shift them.
  const win = pageOnly && view.window ? view.window : windowOf(state);
  view.window = win;
  const range = { since: new Date(win.since).toISOString(), until: new Date(win.until).toISOString() };
  const filters = filterParams(state);
  const cursor = view.cursors[view.cursors.length - 1];
  $('main').classList.add('loading');
  try {
    const [stats, events] = await Promise.all([
      pageOnly ? Promise.resolve(view.lastStats) : getJson('/api/v1/stats', { ...range, bucket: win.bucket, ...filters }),
      getJson('/api/v1/events', { ...range, ...filters, limit: PAGE_SIZE, cursor }),
    ]);
    if (seq !== view.loadSeq) return;  // a newer load started meanwhile
    hideError();
    if (!pageOnly) renderStats(stats, state);
    renderEvents(events);
    if (view.firstRender) {
      view.firstRender = false;
      // What bench/console_bench measures: navigation start to the first chart + list on screen.
      performance.mark('waf-console-rendered');
    }
    // Counts finished loads: what a test waits on after changing the view.
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  } catch (error) {
    if (seq === view.loadSeq) fail(error);
  } finally {
    if (seq === view.loadSeq) $('main').classList.remove('loading');
  }
}

function fail(error) {
  if (error instanceof Unauthorized) {
    askToken(token() ? 'That token was rejected.' : '');
    return;
  }
  const box = $('error');
  box.textContent = `Could not load: ${error.message}`;
  box.hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

// --- summary, chart and top lists -------------------------------------------------------------

function renderStats(stats, state) {
  view.lastStats = stats;
  const byAction = stats.by_action || {};
  const attacks = ACTIONS.reduce((sum, a) => sum + (byAction[a] || 0), 0);
  $('t-attacks').textContent = num(attacks);
  for (const a of ACTIONS) $(`t-${a}`).textContent = num(byAction[a] || 0);
  const requests = stats.requests || {};
  const byStatus = requests.by_status || {};
  $('t-requests').textContent = num(requests.total || 0);
  $('t-errors').textContent = `${num(byStatus['4xx'] || 0)} / ${num(byStatus['5xx'] || 0)}`;

  const byClass = stats.by_class || [];
  view.classOrder = byClass.map((c) => c.class);
  $('bucket-note').textContent = `(${bucketLabel(stats.bucket_seconds)} buckets)`;
  drawTimeline($('chart'), stats, view.classOrder);
  clear($('legend'), byClass.map((c) => h('li', {},
    h('button', { type: 'button', class: `legend-item ${classKey(c.class)}${state.class === c.class ? ' active' : ''}`, dataset: { filter: 'class', value: c.class } },
      h('span', { class: 'swatch' }), c.class, h('span', { class: 'count' }, num(c.count))))));
  fillClassSelect(byClass.map((c) => c.class), state.class);

  const ips = stats.top_ips || [];
  topTable($('top-ips'), ips, (r) => [h('code', {}, r.ip)], (r) => ({ ip: r.ip }));
  topTable($('top-apps'), stats.top_apps || [], (r) => [appLabel(r)], (r) => ({ namespace: r.namespace || '', app: r.app || '' }));
  topTable($('top-paths'), stats.top_paths || [], (r) => [h('span', { class: 'dim' }, appLabel(r)), ' ', h('code', {}, r.path)],
    (r) => ({ namespace: r.namespace || '', app: r.app || '', path: r.path }));
}

function bucketLabel(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function appLabel(r) {
  if (!r.namespace && !r.app) return '(unknown)';
  return `${r.namespace || '?'}/${r.app || '?'}`;
}

function topTable(table, rows, label, filter) {
  const tbody = table.tBodies[0];
  const max = rows.reduce((m, r) => Math.max(m, r.count || 0), 0) || 1;
  if (!rows.length) {
    clear(tbody, h('tr', {}, h('td', { class: 'dim' }, 'nothing in this range')));
    return;
  }
  clear(tbody, rows.map((r) => {
    const meter = h('meter', { min: 0, max, value: r.count || 0 });
    return h('tr', { tabindex: 0, class: 'clickable', title: 'Filter the list by this', dataset: { filters: JSON.stringify(filter(r)) } },
      h('td', { class: 'label' }, label(r)), h('td', { class: 'bar' }, meter), h('td', { class: 'count' }, num(r.count)));
  }));
}

function fillClassSelect(seen, selected) {
  const select = $('f-class');
  const names = [...new Set([...seen, ...KNOWN_CLASSES, ...(selected ? [selected] : [])])];
  clear(select, h('option', { value: '' }, 'any'), names.map((c) => h('option', { value: c, selected: c === selected }, c)));
}

// --- the attack list --------------------------------------------------------------------------

function renderEvents(page) {
  const events = page.events || [];
  view.nextCursor = page.next_cursor || null;
  view.matched = page.matched || 0;
  const tbody = $('events').tBodies[0];
  if (!events.length) {
    clear(tbody, h('tr', {}, h('td', { colspan: 7, class: 'dim empty' }, 'No attacks match.')));
  } else {
    clear(tbody, events.map(eventRow));
  }
  const first = (view.cursors.length - 1) * PAGE_SIZE;
  $('page-info').textContent = events.length
    ? `${num(first + 1)}–${num(first + events.length)} of ${num(view.matched)} matching`
    : `0 of ${num(view.matched)} matching`;
  $('newer').disabled = view.cursors.length <= 1;
  $('older').disabled = !view.nextCursor;
}

function eventRow(e) {
  return h('tr', { tabindex: 0, class: 'clickable', dataset: { id: String(e.id) } },
    h('td', { class: 'time', title: e.time }, localTime(Date.parse(e.time))),
    h('td', {}, h('code', {}, e.client_ip)),
    h('td', { class: 'dim' }, appLabel(e)),
    h('td', { class: 'request' }, h('span', { class: 'method' }, e.method), ' ', h('span', { class: 'dim' }, e.host || ''), e.path),
    h('td', {}, (e.classes || []).map(chip)),
    h('td', {}, h('span', { class: `badge ${actionKey(e.action)}` }, e.action)),
    h('td', {}, e.status ? String(e.status) : '–'));
}

function chip(cls) {
  return h('span', { class: `chip ${classKey(cls)}` }, cls);
}

// --- the detail view --------------------------------------------------------------------------

let detailSeq = 0;

async function openDetail(id) {
  const seq = ++detailSeq;
  const dialog = $('detail');
  clear($('d-title'), 'Loading…');
  clear($('d-meta'));
  clear($('d-findings').tBodies[0]);
  clear($('d-excerpt'));
  $('d-exception').hidden = true;
  if (!dialog.open) dialog.showModal();
  try {
    const event = await getJson(`/api/v1/events/${encodeURIComponent(id)}`);
    if (seq !== detailSeq) return;
    renderDetail(event);
  } catch (error) {
    if (seq !== detailSeq) return;
    if (error instanceof Unauthorized) {
      dialog.close();
      fail(error);
      return;
    }
    clear($('d-title'), error.status === 404 ? 'This event is no longer stored.' : `Could not load: ${error.message}`);
  }
}

function renderDetail(e) {
  clear($('d-title'), (e.classes || []).map(chip), ' ', h('span', { class: 'method' }, e.method), ' ', e.path);
  const meta = [
    ['Time', `${localTime(Date.parse(e.time))} (${e.time})`],
    ['Client IP', h('code', {}, e.client_ip)],
    ['Action', h('span', { class: `badge ${actionKey(e.action)}` }, e.action)],
    ['Status', e.status ? String(e.status) : '–'],
    ['Host', e.host || '–'],
    ['Namespace / app', appLabel(e)],
    ['Pod', e.pod || '–'],
    ['Request id', h('code', {}, e.request_id || '–')],
  ];
  if (e.partial_inspection) meta.push(['Inspection', 'partial (a limit was reached)']);
  clear($('d-meta'), meta.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));

  const findings = e.findings || [];
  clear($('d-findings').tBodies[0], findings.map((f, i) => h('tr', { dataset: { finding: String(i) } },
    h('td', {}, chip(f.class)),
    h('td', {}, h('code', {}, f.location)),
    h('td', {}, h('code', { class: 'evidence' }, f.evidence)),
    h('td', {}, String(f.score ?? '')),
    h('td', {}, h('button', { type: 'button', class: 'copy', dataset: { finding: String(i) } }, 'Copy exception')))));
  view.detailEvent = e;

  const excerpt = typeof e.excerpt === 'string' ? e.excerpt : '';
  $('d-excerpt-note').textContent = !excerpt ? '(no excerpt in this event)' : e.excerpt_truncated ? '(truncated)' : '';
  const parts = segments(excerpt, findings.map((f) => f.evidence || ''));
  clear($('d-excerpt'), parts.map((p) => (p.findings.length
    ? h('mark', { class: 'evidence', dataset: { findings: p.findings.join(' ') }, title: p.findings.map((i) => findings[i].class).join(', ') }, p.text)
    : p.text)));
}

async function copyException(index) {
  const e = view.detailEvent;
  const finding = e && (e.findings || [])[index];
  if (!finding) return;
  const text = exceptionText(e, finding);
  const box = $('d-exception');
  box.textContent = text;
  box.hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No Clipboard API outside a secure context (plain http to a non-local address): select the
    // text and use the older copy command, which still works on a click; else Ctrl+C does.
    const range = document.createRange();
    range.selectNodeContents(box);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    copied = document.execCommand('copy');
  }
  for (const b of document.querySelectorAll('#d-findings button.copy')) b.textContent = 'Copy exception';
  const button = document.querySelector(`#d-findings button.copy[data-finding="${index}"]`);
  if (button) button.textContent = copied ? 'Copied ✓' : 'Selected: press Ctrl+C';
}

// --- token ------------------------------------------------------------------------------------

function askToken(message) {
  const dialog = $('login');
  const error = $('login-error');
  error.textContent = message;
  error.hidden = !message;
  $('token').value = '';
  if (!dialog.open) dialog.showModal();
  $('token').focus();
}

// --- forms ------------------------------------------------------------------------------------

function syncForms(state) {
  $('range').value = state.range;
  document.body.classList.toggle('custom-range', state.range === 'custom');
  const win = windowOf(state);
  if (state.range === 'custom' || !$('since').value) {
    $('since').value = toLocalInput(win.since);
    $('until').value = toLocalInput(win.until);
  }
  for (const f of FILTERS) {
    const el = $(`f-${f}`);
    if (f === 'class') fillClassSelect(view.classOrder, state.class);
    else el.value = state[f];
  }
  $('sign-out').hidden = !token();
}

function filterFromForm() {
  const changes = {};
  for (const f of FILTERS) changes[f] = $(`f-${f}`).value.trim();
  return changes;
}

function activate(target) {
  const row = target.closest('tr[data-id]');
  if (row) {
    writeState({ event: row.dataset.id });
    return true;
  }
  const top = target.closest('tr[data-filters]');
  if (top) {
    writeState({ ...JSON.parse(top.dataset.filters), event: '' });
    return true;
  }
  return false;
}

function wire() {
  window.addEventListener('hashchange', route);
  $('range-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const range = $('range').value;
    if (range === 'custom') {
      const since = fromLocalInput($('since').value);
      const until = fromLocalInput($('until').value);
      lastListKey = '';  // Refresh reloads even when nothing changed
      writeState({ range, since: since ? String(since) : '', until: until ? String(until) : '', event: '' });
    } else {
      lastListKey = '';
      writeState({ range, since: '', until: '', event: '' });
    }
  });
  $('range').addEventListener('change', () => {
    document.body.classList.toggle('custom-range', $('range').value === 'custom');
    if ($('range').value !== 'custom') $('range-form').requestSubmit();
  });
  $('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    writeState({ ...filterFromForm(), event: '' });
  });
  $('f-class').addEventListener('change', () => $('filters').requestSubmit());
  $('f-action').addEventListener('change', () => $('filters').requestSubmit());
  $('f-clear').addEventListener('click', () => writeState({ ...Object.fromEntries(FILTERS.map((f) => [f, ''])), event: '' }));
  $('legend').addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-filter]');
    if (b) writeState({ class: readState().class === b.dataset.value ? '' : b.dataset.value, event: '' });
  });
  for (const id of ['events', 'top-ips', 'top-apps', 'top-paths']) {
    $(id).addEventListener('click', (ev) => activate(ev.target));
    $(id).addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && activate(ev.target)) ev.preventDefault();
    });
  }
  $('older').addEventListener('click', () => {
    if (!view.nextCursor) return;
    view.cursors.push(view.nextCursor);
    load(readState(), true);
  });
  $('newer').addEventListener('click', () => {
    if (view.cursors.length <= 1) return;
    view.cursors.pop();
    load(readState(), true);
  });
  $('d-close').addEventListener('click', () => $('detail').close());
  $('detail').addEventListener('close', () => {
    if (readState().event) writeState({ event: '' });
  });
  $('d-findings').addEventListener('click', (ev) => {
    const b = ev.target.closest('button.copy');
    if (b) copyException(Number(b.dataset.finding));
  });
  // Hovering a finding lights up its evidence in the excerpt.
  $('d-findings').addEventListener('mouseover', (ev) => {
    const row = ev.target.closest('tr[data-finding]');
    for (const m of $('d-excerpt').querySelectorAll('mark')) {
      m.classList.toggle('focus', !!row && m.dataset.findings.split(' ').includes(row.dataset.finding));
    }
  });
  $('login-form').addEventListener('submit', () => {
    setToken($('token').value.trim());
    $('sign-out').hidden = !token();
    lastListKey = '';
    route();
  });
  $('login').addEventListener('cancel', (ev) => ev.preventDefault());
  $('sign-out').addEventListener('click', () => {
    setToken('');
    askToken('');
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => view.lastStats && drawTimeline($('chart'), view.lastStats, view.classOrder), 100);
  });
}

wire();
route();
