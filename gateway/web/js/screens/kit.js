// What the screens of reviews.js, decisions.js and registry.js share: a form for one command
// built from a list of fields with their Vietnamese labels (the API's refusal shown beside the
// field it names), dates and money as a union office writes them, and a card of facts.
// Not a screen module itself: it registers nothing.
import { ApiError, post } from "../api.js";
import { language } from "../i18n.js";
import { checks, field, form, h, table, today } from "../ui.js";

// A label: a plain text, or {vi, en} (Vietnamese unless English is chosen).
export const L = (label) => (label && typeof label === "object" ? label[language()] ?? label.vi : label);

// dd/mm/yyyy from an ISO date (or date-time); what is not a date is shown as it is.
export function vnDate(value) {
  const found = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value ?? ""));
  return found ? `${found[3]}/${found[2]}/${found[1]}` : value ?? "";
}

// The positions held on a committee, department or team (the registry's codes).
export const POSITIONS = { chairman: { vi: "Chủ tịch", en: "Chairman" }, vice_chairman: { vi: "Phó Chủ tịch", en: "Vice-chairman" },
  member: { vi: "Ủy viên, thành viên", en: "Member" }, head: { vi: "Trưởng ban", en: "Head" },
  deputy_head: { vi: "Phó Trưởng ban", en: "Deputy head" }, leader: { vi: "Tổ trưởng", en: "Leader" } };

export const vnd = (n) => `${Number(n || 0).toLocaleString("vi-VN")} đ`;

// Options for a select: [[value, label], …] with labels {vi, en} or text; `blank` first.
export function options(pairs, blank = { vi: "— Chọn —", en: "— Choose —" }) {
  return [...(blank ? [["", L(blank)]] : []), ...pairs.map(([v, text]) => [v, L(text)])];
}

// A field from its spec: { name, label, type, options, value, list, number, bool, hint }.
// `list`: a textarea, one item a line; `bool`: one checkbox; type "date" defaults to today.
function control(spec) {
  const label = L(spec.label);
  if (spec.bool) return checks(spec.name, label, [["yes", L(spec.text || spec.label), spec.value ?? false]]);
  if (spec.checks) return checks(spec.name, label, spec.checks.map(([v, text, on]) => [v, L(text), on ?? false]));
  const input = { ...(spec.input || {}) };
  if (spec.list) input.type = "textarea";
  else if (spec.type) input.type = spec.type;
  if (spec.number && !spec.type) input.type = "number";
  if (spec.options) { input.type = "select"; input.options = spec.options; }
  input.value = spec.value ?? (input.type === "date" ? today() : undefined);
  const row = field(spec.name, label, input);
  if (spec.hint) row.insertBefore(h("div", { class: "muted hint" }, L(spec.hint)), row.querySelector(".field-error"));
  return row;
}

// The command's body from the form's values: lists split by line, numbers as numbers,
// one checkbox as true/false, and "a.b" names nested ({a: {b}}), as the API names them.
export function body(specs, v) {
  const out = {};
  for (const spec of specs) {
    if (!spec.name || spec.skip) continue;
    let value = v[spec.name];
    if (spec.list) value = String(value || "").split("\n").map((x) => x.trim()).filter(Boolean);
    else if (spec.bool) value = (value || []).includes("yes");
    else if (spec.number) value = value === "" ? "" : Number(value);
    if (value === "" || value === undefined) continue;  // left out, as if never given
    const path = spec.name.split(".");
    let node = out;
    for (const key of path.slice(0, -1)) node = (node[key] ||= {});
    node[path.at(-1)] = value;
  }
  return out;
}

// A form for one command: ``fields`` its specs (or elements, drawn as they are), ``fixed``
// what the screen knows (an object, or a function of the body), ``done`` what follows;
// ``at`` places a refusal that names no field beside one ({CODE: field}).
export function commandForm({ id, title, service, command, fields: specs, fixed = {}, button, done, shape, at = {} }) {
  const items = specs.filter(Boolean);
  return form(L(title), items.map((s) => (s instanceof Node ? s : control(s))), async (v, el) => {
    let data = body(items.filter((s) => !(s instanceof Node)), v);
    data = { ...data, ...(typeof fixed === "function" ? fixed(data, v) : fixed) };
    if (shape) data = shape(data, v, el);
    let result;
    try {
      result = await post(service, command, data);
    } catch (error) {
      if (error instanceof ApiError && at[error.problem.code] && !error.fields.length) error.problem.field = at[error.problem.code];
      throw error;
    }
    if (done) await done(result, data);
  }, { id, button: button ? L(button) : undefined });
}

// A card with a heading and label/value rows.
export function facts(title, rows, attrs = {}) {
  return h("div", { class: "card", ...attrs }, title ? h("h2", {}, L(title)) : null,
    table([L({ vi: "Mục", en: "Item" }), L({ vi: "Nội dung", en: "Content" })],
      rows.filter(Boolean).map(([k, value]) => [L(k), value ?? ""])));
}

// A card with a heading and a table.
export function listCard(id, title, headings, rows, empty) {
  return h("div", { class: "card", id }, h("h2", {}, L(title)),
    table(headings.map(L), rows, empty ? L(empty) : undefined));
}

// The year the movement's work of today is for.
export const thisYear = () => new Date().getFullYear();
