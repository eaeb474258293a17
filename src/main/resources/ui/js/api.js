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

/** A request; answers the parsed JSON (or text), throws ApiError with the GMS message on failure. */
export async function api(path, { method = 'GET', params, body, accept = 'application/json' } = {}) {
  const response = await send(path, { method, params, body, accept });
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
  const init = { method, headers: { Accept: accept }, credentials: 'same-origin', cache: 'no-store' };
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
  if (status === 401) return new ApiError(status, 'Not logged in: reload the page and log in', data);
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
