// The gateway's public API, as any front end calls it: a Bearer token from POST
// /v1/auth/token, JSON in and out, problem details (RFC 9457) on refusal, in the language of
// the interface (Accept-Language).
import { language } from "./i18n.js";
import { OPERATIONS } from "./operations.js";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || problem.detail || String(status));
    this.status = status;
    this.problem = problem;
  }

  // The fields the refusal names: problem.field, details.field, or each validation error's.
  get fields() {
    const p = this.problem, found = [];
    if (typeof p.field === "string") found.push(p.field);
    const details = p.details || {};
    if (typeof details.field === "string") found.push(details.field);
    for (const e of details.errors || []) if (e.field) found.push(e.field);
    return [...new Set(found)];
  }
}

export function token() { return sessionStorage.getItem("emu.token"); }

export function signOut() { sessionStorage.removeItem("emu.token"); }

export async function request(method, path, body) {
  const headers = { "Accept-Language": language() === "en" ? "en" : "vi" };
  if (token()) headers.Authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) {
    if (response.status === 401 && path !== "/v1/auth/token") {
      signOut();
      location.hash = "#/login";
    }
    throw new ApiError(response.status, data);
  }
  return data;
}

export async function signIn(username, password) {
  const data = await request("POST", "/v1/auth/token", { username, password });
  sessionStorage.setItem("emu.token", data.access_token);
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === "") continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

// The operation a call names, checked against the API's document (operations.js, generated
// from it): an operation or a parameter the document does not have is refused before any
// request is sent, so a screen left behind by a change of the API fails at once, loudly.
function operation(service, method, params, verb) {
  const name = `${service}/${method}`, found = OPERATIONS[name];
  if (!found || found.verb !== verb) throw new Error(`the API has no ${verb} ${name}`);
  for (const key of Object.keys(params || {})) {
    if (!(key in found.params)) throw new Error(`${name} has no parameter ${key}`);
  }
  return found;
}

// Every list the API answers has one shape, {items, total, offset, limit}; one record (or a
// report) comes as {result}.
const isPage = (answer) => answer && Array.isArray(answer.items) && typeof answer.total === "number";

// One page of a list query, as the API answers it: {items, total, offset, limit}.
export async function getPage(service, method, params) {
  const answer = await request("GET", operation(service, method, params, "GET").path + query(params));
  if (!isPage(answer)) throw new Error(`${service}/${method} does not answer a list`);
  return answer;
}

// A query: its record, or a list's items, every page read.
export async function get(service, method, params) {
  const first = await request("GET", operation(service, method, params, "GET").path + query(params));
  if (!isPage(first)) return first.result;
  const items = [...first.items];
  while (first.offset + items.length < first.total) {
    const next = await getPage(service, method, { ...params, offset: first.offset + items.length, limit: 200 });
    if (!next.items.length) break;
    items.push(...next.items);
  }
  return items;
}

// A command: its result. Empty optional values are left out, as if never given.
export async function post(service, method, body) {
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== "" && v !== undefined));
  return (await request("POST", operation(service, method, clean, "POST").path, clean)).result;
}

export const me = async () => (await request("GET", "/v1/me")).result;

export async function raw(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}`,
    "Accept-Language": language() } });
  if (!response.ok) throw new ApiError(response.status, await response.json());
  return response;
}
