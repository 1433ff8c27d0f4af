// Small helpers for the screens: elements, forms that show the API's field errors next to
// their fields, tables, downloads and hand-made SVG bar charts; dates shown and typed as
// dd/mm/yyyy and money as 15.000.000 đ, whatever the browser's locale.
import { ApiError } from "./api.js";
import { language, t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  // Text as a person reads it (``text``): an ISO date in it as dd/mm/yyyy, an object never
  // as "[object Object]".
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(typeof c === "number" ? String(c) : text(c)));
  }
  return el;
}

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const pad = (n) => String(n).padStart(2, "0");

// "2025-01-10" (or a timestamp "2025-01-10T08:30:00+00:00") as "10/01/2025" ("10/01/2025
// 08:30"); anything else as it is, empty for nothing.
export function date(value) {
  if (value === undefined || value === null || value === "") return "";
  const m = String(value).match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/);
  if (!m) return String(value);
  return `${m[3]}/${m[2]}/${m[1]}${m[4] ? ` ${m[4]}:${m[5]}` : ""}`;
}

// Dates inside a text ("kỳ 2025-H1, hạn 2025-07-15") shown as dd/mm/yyyy too.
export function dates(text) {
  return String(text ?? "").replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, "$3/$2/$1");
}

// What a person typed as dd/mm/yyyy (d/m/yyyy, dots or dashes too; ISO accepted as well) as
// ISO yyyy-mm-dd for the API; null when it is no date of the calendar, "" when empty.
export function isoDate(text) {
  const s = String(text ?? "").trim();
  if (!s) return "";
  let m = s.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/), d, mo, y;
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = s.match(/^(\d{4})-(\d{2})-(\d{2})$/))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return `${y}-${pad(mo)}-${pad(d)}`;
}

// 15000000 as "15.000.000 đ" (the Vietnamese grouping, whatever the browser's locale).
export function money(value) {
  if (value === undefined || value === null || value === "" || Number.isNaN(Number(value))) return "";
  const n = Math.round(Number(value));
  return `${n < 0 ? "-" : ""}${String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;
}

// A value from the API as a person reads it: never "[object Object]", "undefined" or "null".
export function text(value) {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join("; ");
  if (typeof value === "object") {
    for (const k of ["text", "title", "name", "full_name", "label", "number"]) if (typeof value[k] === "string") return value[k];
    return Object.values(value).map(text).filter(Boolean).join("; ");
  }
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  return dates(value);
}

// A status as a word of the interface (statuses.* of i18n.js), never its code.
export function statusText(status) {
  const found = t(`statuses.${status}`);
  return found !== `statuses.${status}` ? found : t(status);
}

export function badge(status) {
  return h("span", { class: `badge ${status}` }, statusText(status));
}

// A field: label and input (or select, textarea); the error slot below is filled from the
// API's problem details by the field's name.
// A date (``type: "date"``) is a text input typed dd/mm/yyyy whatever the browser's locale
// (a browser's own date picker asks mm/dd/yyyy in an English locale); ``values`` hands it to
// the API as yyyy-mm-dd and a form refuses a date that is none beside its field.
export function field(name, label, input = {}) {
  const { type = "text", options, value, ...rest } = input;
  let control;
  if (type === "date") {
    control = h("input", { name, id: `f-${name}`, type: "text", value: date(value), "data-type": "date",
      placeholder: "dd/mm/yyyy", pattern: "\\d{1,2}/\\d{1,2}/\\d{4}", inputmode: "numeric", autocomplete: "off",
      maxlength: 10, ...rest });
  } else if (type === "file") {
    // The browser's own button reads "Choose File" whatever the page's language: a button in
    // the interface's words opens the same input, which stays in the form, named by the label.
    const input = h("input", { name, id: `f-${name}`, type: "file", class: "file-input", tabindex: "-1", ...rest });
    const chosen = h("span", { class: "muted" }, t("noFile"));
    input.addEventListener("change", () => { chosen.textContent = input.files[0] ? input.files[0].name : t("noFile"); });
    control = h("div", { class: "actions file-picker" }, input,
      h("button", { type: "button", class: "secondary", onclick: () => input.click() }, t("chooseFile")), chosen);
  } else if (type === "textarea") control = h("textarea", { name, id: `f-${name}`, ...rest }, value ?? "");
  else if (type === "select") {
    control = h("select", { name, id: `f-${name}`, ...rest },
      (options || []).map(([v, text]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, text)));
  } else control = h("input", { name, id: `f-${name}`, type, value: value ?? "", ...rest });
  return h("div", { class: "row", "data-field": name }, h("label", { for: `f-${name}` }, label), control,
    h("div", { class: "field-error", role: "alert" }));
}

export function checks(name, label, options) {
  return h("div", { class: "row checks", "data-field": name }, h("label", {}, label),
    options.map(([v, text, on]) => h("label", {}, h("input", { type: "checkbox", name, value: v, checked: on }), text)),
    h("div", { class: "field-error", role: "alert" }));
}

export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") { (out[el.name] ||= []); if (el.checked) out[el.name].push(el.value); }
    else if (el.dataset.type === "date") {
      const iso = isoDate(el.value);
      if (iso === null) throw new DateError(el.name);
      out[el.name] = iso;
    } else if (el.type !== "file") out[el.name] = el.value.trim();
  }
  return out;
}

// A date typed that is none (31/02/2026, 2026/13/01): refused beside its field, before any call.
export class DateError extends Error {
  constructor(name) {
    super(t("badDate"));
    this.field = name;
  }
}

// A form whose submit runs ``action(values, form)``; a refusal from the API shows its title
// (in the interface's language) beside each field it names, or above the form. Once done it
// says "Đã lưu", unless it is a ``lookup``: a form that only finds or shows something.
export function form(title, fields, action, { button = t("save"), id, lookup = false } = {}) {
  const message = h("div", { class: "form-message" });
  const el = h("form", { class: "card", novalidate: true, id, "data-lookup": lookup }, title ? h("h2", {}, title) : null,
    message, fields, h("div", { class: "actions" }, h("button", { type: "submit" }, button)));
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(el);
    message.replaceChildren();
    const submit = el.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      await action(values(el), el);
      if (!lookup) message.replaceChildren(h("div", { class: "ok", role: "status" }, t("saved")));
    } catch (error) {
      showError(el, message, error);
    } finally {
      submit.disabled = false;
    }
  });
  return el;
}

function clearErrors(el) {
  for (const row of el.querySelectorAll(".row.invalid")) row.classList.remove("invalid");
  for (const slot of el.querySelectorAll(".field-error")) slot.textContent = "";
}

function rowFor(el, name) {
  // "fields.objective" names a field of the registration; "authors.0.share" a list item.
  const candidates = [name, name.replace(/\.\d+(\.|$)/, "$1").replace(/\.$/, ""), name.split(".")[0]];
  for (const c of candidates) {
    const row = el.querySelector(`.row[data-field="${CSS.escape(c)}"]`);
    if (row) return row;
  }
  return null;
}

export function showError(el, message, error) {
  if (error instanceof DateError) {
    const row = rowFor(el, error.field);
    if (row) {
      row.classList.add("invalid");
      row.querySelector(".field-error").textContent = error.message;
      return;
    }
  }
  if (!(error instanceof ApiError)) {
    message.replaceChildren(h("div", { class: "form-error", role: "alert" }, String(error)));
    return;
  }
  const placed = error.fields.map((name) => rowFor(el, name)).filter(Boolean);
  // A field the API's document refused has its own text (details.errors[].text, in the
  // interface's language); a refusal by a service names the field and has the title.
  const texts = new Map();
  for (const e of (error.problem.details || {}).errors || []) {
    const row = e.field ? rowFor(el, e.field) : null;
    if (row && e.text && !texts.has(row)) texts.set(row, e.text);
  }
  for (const row of placed) {
    row.classList.add("invalid");
    row.querySelector(".field-error").textContent = texts.get(row) || error.problem.title;
  }
  if (!placed.length) {
    message.replaceChildren(h("div", { class: "form-error", role: "alert", "data-code": error.problem.code },
      error.problem.title));
  }
}

export function table(headings, rows, empty = t("none")) {
  if (!rows.length) return h("p", { class: "muted" }, empty);
  return h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, headings.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))))));
}

export function download(filename, mediaType, base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }));
  const a = h("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function fileBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",")[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

const COLOURS = ["#1f5fa8", "#2e7d32", "#b26a00", "#b3261e", "#6a3d9a", "#00838f"];
const SVG = "http://www.w3.org/2000/svg";

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// Grouped bars: ``groups`` [{label, values: [n, …]}], one bar per series; each bar carries
// its value as text and in data-value, so a person and a test can read it.
export function barChart(title, series, groups, { id } = {}) {
  const box = h("div", { class: "card chart", id }, h("h2", {}, title));
  if (!groups.length || groups.every((g) => g.values.every((v) => !v))) {
    box.append(h("p", { class: "muted" }, t("noData")));
    return box;
  }
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  // A small drawing space, so that the text stays legible when the card is narrow.
  const bar = 18, gap = 12, labelW = 116, width = 400;
  const groupH = series.length * bar + gap;
  const height = groups.length * groupH + 10;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
  groups.forEach((g, i) => {
    const y0 = i * groupH + 5;
    svg.append(s("text", { x: 0, y: y0 + (series.length * bar) / 2 + 4, "font-size": 13, fill: "#1d1b20" },
      g.label.length > 16 ? `${g.label.slice(0, 15)}…` : g.label));
    g.values.forEach((v, j) => {
      const w = Math.round(((width - labelW - 30) * v) / max);
      const rect = s("rect", { x: labelW, y: y0 + j * bar, width: Math.max(w, v ? 2 : 0), height: bar - 3,
        fill: COLOURS[j % COLOURS.length], "data-series": series[j], "data-group": g.label, "data-value": v });
      rect.append(s("title", {}, `${g.label} — ${series[j]}: ${v}`));
      svg.append(rect, s("text", { x: labelW + w + 4, y: y0 + j * bar + bar - 5, "font-size": 12 }, v));
    });
  });
  box.append(svg, h("div", { class: "legend" }, series.map((name, j) =>
    h("span", {}, h("i", { style: `background:${COLOURS[j % COLOURS.length]}` }), name))));
  return box;
}
