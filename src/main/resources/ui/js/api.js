// Calls to this server. Addresses are built on location.origin, which never carries credentials
// (a page opened with user:password@ in its address could not otherwise call fetch).

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function url(path, params) {
  const address = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    if (Array.isArray(value)) value.forEach((v) => address.searchParams.append(key, v));
    else if (value !== undefined && value !== null && value !== '') address.searchParams.set(key, value);
  }
  return address;
}

// The login session (docs/security.md, "UI sessions"): the server keeps it behind an HttpOnly
// cookie; this page keeps only who is logged in and the CSRF token every state-changing call sends.
export const SESSION = '/ui/api/session';
export const LOGIN_PAGE = '/ui/login.html';
const UI_HEADER = { 'X-Requested-With': 'opencallback-ui' };
let current = null;

/** Who is logged in ({user, role, agent, csrfToken}); goes to the login page when nobody is. */
export async function session() {
  if (!current) {
    const response = await send(SESSION, { accept: 'application/json' });
    if (response.status === 401) {
      toLogin();
      throw new ApiError(401, 'Not logged in');
    }
    if (!response.ok) throw failure(response.status, await response.json().catch(() => null));
    current = await response.json();
  }
  return current;
}

/** The login page, coming back to this view afterwards. */
export function toLogin() {
  const next = location.hash ? `?next=${encodeURIComponent(location.hash)}` : '';
  location.assign(`${LOGIN_PAGE}${next}`);
}

export async function logout() {
  await send(SESSION, { method: 'DELETE' });
  current = null;
  location.assign(LOGIN_PAGE);
}

/** A request; answers the parsed JSON (or text), throws ApiError with the GMS message on failure. */
export async function api(path, { method = 'GET', params, body, accept = 'application/json' } = {}) {
  const response = await send(path, { method, params, body, accept });
  if (response.status === 401 && current) {
    // the session ended (idle, expired, logged out elsewhere): log in again
    current = null;
    toLogin();
  }
  const text = await response.text();
  let data = text;
  if (text && (response.headers.get('Content-Type') || '').includes('json')) {
    try { data = JSON.parse(text); } catch { /* keep the text */ }
  }
  if (!response.ok) throw failure(response.status, data);
  return text ? data : null;
}

/** The raw response, for downloads and statuses such as 204; throws on network errors only. */
export async function send(path, { method = 'GET', params, body, accept = '*/*' } = {}) {
  const init = { method, headers: { Accept: accept, ...UI_HEADER }, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD' && current) init.headers['X-CSRF-Token'] = current.csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(url(path, params), init);
  } catch (error) {
    throw new ApiError(0, `Cannot reach the server: ${error.message}`);
  }
}

export function failure(status, data) {
  if (data && typeof data === 'object' && data.message) {
    const code = data.code ? ` (${data.code}${data.phrase ? ` ${data.phrase}` : ''})` : '';
    return new ApiError(status, `${data.message}${code}`, data);
  }
  if (status === 401) return new ApiError(status, 'Not logged in: log in again', data);
  return new ApiError(status, `The server answered HTTP ${status}`, data);
}

/** Whether an error means "this endpoint does not exist on this server". */
export function missing(error) {
  return error instanceof ApiError && (error.status === 404 || error.status === 405);
}

export const ADMIN = '/genesys/1/admin/callback';
export const NO_ADMIN = 'admin API not available: this server does not offer /genesys/1/admin yet';

let configCache = null;
/** The effective configuration (/ui/api/config), fetched once per page view. */
export async function configuration(refresh = false) {
  if (!configCache || refresh) configCache = api('/ui/api/config').catch((error) => { configCache = null; throw error; });
  return configCache;
}

export async function serviceNames() {
  return (await configuration()).services.map((service) => service.name);
}
