// The read API, with the bearer token when the orchestrator wants one (MESH_API_TOKEN). The token
// is asked for once and kept in sessionStorage: it lasts as long as the tab, and no other site
// can read it.

const KEY = 'jetmesh.token';

/** Thrown for a problem+json answer; `status` and `code` come from the server. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function setToken(t) {
  if (t) sessionStorage.setItem(KEY, t);
  else sessionStorage.removeItem(KEY);
}

let askToken = null;

/** `ask(refused)` is called on a 401 and resolves to the token the person typed. */
export function onTokenNeeded(ask) {
  askToken = ask;
}

let pendingAsk = null;

/** One question for all requests refused at the same time. */
function ask(refused) {
  if (!pendingAsk) {
    pendingAsk = askToken(refused).finally(() => {
      pendingAsk = null;
    });
  }
  return pendingAsk;
}

/** GET a JSON resource of the read API. */
export async function get(path) {
  return (await request(path, 'application/json')).json();
}

/** GET a text resource of the read API (an attempt's transcript). */
export async function text(path) {
  return (await request(path, 'text/plain')).text();
}

async function request(path, accept) {
  for (;;) {
    const sent = token();
    const headers = {Accept: accept};
    if (sent) headers.Authorization = `Bearer ${sent}`;
    const res = await fetch(path, {headers, cache: 'no-store'});
    if (res.status === 401 && askToken) {
      // A token typed meanwhile for another request is tried before asking again.
      if (token() !== sent) continue;
      setToken(await ask(Boolean(sent)));
      continue;
    }
    if (!res.ok) throw await problem(res);
    return res;
  }
}

/** Every item of a paged list, following next_cursor up to `max` items. */
export async function all(path, max = 2000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    items.push(...(Array.isArray(page) ? page : page.items || []));
    cursor = Array.isArray(page) ? null : page.next_cursor;
  } while (cursor && items.length < max);
  return {items, more: Boolean(cursor)};
}

async function problem(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not problem+json: the status says enough
  }
  return new ApiError(res.status, body?.code, body?.detail || body?.title || res.statusText);
}

/** The SSE address: EventSource cannot send headers, so the token goes in the query. */
export function eventsUrl() {
  const t = token();
  return t ? `/api/events?access_token=${encodeURIComponent(t)}` : '/api/events';
}

export function enc(id) {
  return encodeURIComponent(id);
}
