// Builds DOM from data with text nodes only: every string the API returns may carry an attack
// payload, so nothing here (or anywhere in the console) assigns HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const numberFormat = new Intl.NumberFormat();

export function num(n) {
  return typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '–';
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

// Local time, to the second: "2026-11-22 16:45:56".
export function localTime(ms) {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '?';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// The value of an <input type="datetime-local"> for a time, and back.
export function toLocalInput(ms) {
  return localTime(ms).replace(' ', 'T');
}

export function fromLocalInput(value) {
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : ms;
}

// The attack classes of the engine (src/engine/attack_class.cpp), each with its colour in app.css;
// anything else is drawn as "other" rather than trusting a server string as a CSS class.
export const KNOWN_CLASSES = ['sqli', 'xss', 'path_traversal', 'rfi_ssrf', 'command_injection', 'ssti', 'nosqli', 'ldapi',
  'xxe', 'jndi', 'crlf', 'scanner', 'code_injection', 'custom_rule', 'protocol'];

export function classKey(cls) {
  return KNOWN_CLASSES.includes(cls) ? `k-${cls}` : 'k-other';
}

export const ACTIONS = ['blocked', 'monitored', 'denied'];

export function actionKey(action) {
  return ACTIONS.includes(action) ? `a-${action}` : 'a-other';
}
