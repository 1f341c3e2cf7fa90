// The postanalytics API as the console uses it: bearer token from sessionStorage, JSON in and out.
// The server filters and aggregates; the console never asks for more than one page of events.

const TOKEN_KEY = 'waf.console.token';

export class Unauthorized extends Error {}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export async function getJson(path, params = {}, signal = undefined) {
  const headers = { Accept: 'application/json' };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch(path + query(params), { headers, signal, cache: 'no-store', credentials: 'omit' });
  if (response.status === 401) throw new Unauthorized('token rejected');
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const message = body && typeof body.error === 'string' ? body.error : response.statusText;
    const error = new Error(`${path}: ${response.status} ${message}`);
    error.status = response.status;
    throw error;
  }
  return body;
}
