// The web front end of the emulation platform (issue 11): one page, hash routes, every
// screen built from the gateway's public API only (the same calls any front end makes).
import { ApiError, get, getPage, me, post, raw, signIn, signOut, token } from "./api.js";
import { eventName, language, setLanguage, t, term } from "./i18n.js";
import * as searchScreens from "./screens/search.js";
import * as usersScreens from "./screens/users.js";
import * as decisionScreens from "./screens/decisions.js";
import * as registryScreens from "./screens/registry.js";
import * as importScreens from "./screens/imports.js";
import * as reorganisationScreens from "./screens/reorganisation.js";
import * as reviewsScreens from "./screens/reviews.js";
import * as awardsScreens from "./screens/awards.js";
import * as integrityScreens from "./screens/integrity.js";
import * as notificationScreens from "./screens/notifications.js";
import { similarCard } from "./screens/similar.js";

// Screen modules (js/screens/*.js), registered below in this order.
const SCREEN_MODULES = [reviewsScreens, decisionScreens, registryScreens, importScreens, reorganisationScreens, usersScreens, awardsScreens,
  integrityScreens, notificationScreens];
import {
  badge, barChart, checks, date, download, field, fileBase64, form, h, money, showError, table, today,
} from "./ui.js";

const CORE = ["name", "objective", "implementation_steps", "scope_feasibility_time", "expected_effectiveness"];
const CRITERIA = [["new_within_unit", "Tính mới"], ["applied_with_benefit", "Áp dụng, lợi ích"],
  ["effectiveness", "Hiệu quả"]];
// The award catalogue's levels are the unions' levels (an initiative's scopes say "province").
const LEVEL_ABOVE = { grassroots: "direct_superior", direct_superior: "provincial_federation",
  provincial_federation: "confederation", confederation: null };
const LEVEL_OF_UNION = { grassroots: "grassroots", direct_superior: "direct_superior",
  provincial_federation: "province" };

const ctx = { me: null, grant: null, union: null, unions: new Map(), people: new Map() };
const main = () => document.getElementById("main");

// --- who is signed in, and where ----------------------------------------------------------

async function load() {
  ctx.me = await me();
  ctx.grant = ctx.me.roles[0] || null;
  ctx.union = ctx.grant && ctx.grant.union_id ? await union(ctx.grant.union_id) : null;
  if (ctx.union) {
    const above = await get("registry", "ancestors", { union_id: ctx.union.id }).catch(() => []);
    for (const u of above) ctx.unions.set(u.id, u);
  }
}

// A review's period as a person says it: "2025-H1" is "6 tháng đầu năm 2025".
function periodText(period) {
  const m = String(period ?? "").match(/^(\d{4})(?:-(H1|H2|Q[1-4]))?$/);
  if (!m) return period ?? "";
  if (!m[2]) return `${t("year")} ${m[1]}`;
  if (m[2] === "H1") return language() === "en" ? `First half of ${m[1]}` : `6 tháng đầu năm ${m[1]}`;
  if (m[2] === "H2") return language() === "en" ? `Second half of ${m[1]}` : `6 tháng cuối năm ${m[1]}`;
  return language() === "en" ? `Q${m[2][1]} ${m[1]}` : `Quý ${m[2][1]}/${m[1]}`;
}

// The award catalogue's names of its forms ("bang_khen_tinh" is "Bằng khen của Ban Thường vụ…").
let catalogueCache = null;
async function catalogueOf() {
  catalogueCache ||= await get("awards", "forms", {});
  return catalogueCache;
}
async function formTitles() {
  return Object.fromEntries((await catalogueOf()).forms.map((f) => [f.code, f.title]));
}
// A form named by its code, or the catalogue's entry itself (an award holds the whole entry).
const formName = (titles, f) => (f && typeof f === "object" ? f.title || f.code : titles[f] || f);

const role = () => (ctx.grant ? ctx.grant.role : null);
const committee = () => ["executive", "standing"].includes(role());
const grassroots = () => ctx.union && ctx.union.level === "grassroots";

async function union(id) {
  if (!id) return null;
  if (!ctx.unions.has(id)) {
    try { ctx.unions.set(id, await get("registry", "get-union", { union_id: id })); }
    catch { ctx.unions.set(id, { id, name: t("notVisible"), code: "" }); }
  }
  return ctx.unions.get(id);
}

async function person(id) {
  if (!id) return null;
  if (!ctx.people.has(id)) {
    try { ctx.people.set(id, await get("registry", "get-person", { person_id: id })); }
    catch { ctx.people.set(id, { id, full_name: t("notVisible") }); }
  }
  return ctx.people.get(id);
}

const personName = async (id) => (id && !String(id).startsWith("user:") ? (await person(id)).full_name
  : String(id ?? "").replace(/^user:/, ""));
const unionName = async (id) => (await union(id))?.name ?? id;

async function subtree() {
  const below = await get("registry", "descendants", { union_id: ctx.union.id });
  for (const u of below) ctx.unions.set(u.id, u);
  return [ctx.union, ...below];
}

async function committeeMembers(unionId) {
  const u = await union(unionId);
  const kind = u.level === "grassroots" ? "executive_committee" : "standing_committee";
  const bodies = await get("registry", "bodies", { union_id: unionId, kind });
  const members = bodies.flatMap((b) => b.members || []);
  for (const m of members) ctx.people.set(m.person_id, { id: m.person_id, full_name: m.full_name });
  return members;
}

async function unionMembers(unionId) {
  const { items } = await getPage("registry", "members", { union_id: unionId, limit: 200 });
  for (const p of items) ctx.people.set(p.id, p);
  return items;
}

// --- the shell ----------------------------------------------------------------------------

// The menu's groups, in order, and the group of each entry (an entry a module adds that is
// not listed here goes under the last group). A group a role has no entry in is not shown.
const MENU_GROUPS = ["movement", "initiatives", "awards", "oversight", "organisation", "administration"];
const GROUP_OF = {
  "#/upper": "movement", "#/movement": "movement", "#/reviews": "movement",
  "#/classifications": "movement", "#/difficulties": "movement",
  "#/ideas": "initiatives", "#/book": "initiatives", "#/register": "initiatives", "#/form": "initiatives",
  "#/decisions": "initiatives", "#/replication": "initiatives",
  "#/awards": "awards", "#/attest": "awards", "#/revoke": "awards",
  "#/audit": "oversight", "#/integrity": "oversight",
  "#/unions": "organisation", "#/people": "organisation",
  "#/import": "administration", "#/users": "administration",
};

function menuItems() {
  const items = [];
  if (ctx.union && grassroots() && role() !== "auditor") items.push(["#/ideas", "ideas"]);
  if (ctx.union && grassroots() && committee()) {
    items.push(["#/book", "book"], ["#/register", "register"], ["#/form", "formDesign"]);
  }
  if (ctx.union && !grassroots() && committee()) items.push(["#/upper", "upper"]);
  if (committee()) items.push(["#/awards", "awards"]);
  if (["auditor", "administrator"].includes(role())) items.push(["#/audit", "audit"]);
  for (const [href, label, visible] of MODULE_MENU) if (ctx.me && visible()) items.push([href, label]);
  return items;
}

// Closes every group of the menu but ``keep`` (one group open at a time).
function closeGroups(keep = null) {
  for (const group of document.querySelectorAll("#nav details[open]")) if (group !== keep) group.open = false;
}

function menu() {
  const signedIn = Boolean(token() && ctx.me);
  const here = location.hash.split("/").slice(0, 2).join("/");
  const atHome = ["", "#/", "#"].includes(location.hash) || here === "#/dashboard";
  const text = (label) => (typeof label === "string" ? t(label) : label[language()] ?? label.vi);
  const link = (href, label) => h("a", { href, class: (href === "#/" ? atHome : here === href) ? "active" : null,
    "aria-current": (href === "#/" ? atHome : here === href) ? "page" : null }, text(label));
  const items = signedIn ? menuItems() : [];
  const groups = MENU_GROUPS.map((group) => [group,
    items.filter(([href]) => (GROUP_OF[href] || MENU_GROUPS.at(-1)) === group)]).filter(([, list]) => list.length);
  const nav = document.getElementById("nav");
  nav.replaceChildren(...(signedIn ? [link("#/", "dashboard"), ...groups.map(([group, list]) => {
    const current = list.some(([href]) => href === here);
    const details = h("details", { class: `menu-group${current ? " active" : ""}`, "data-group": group },
      h("summary", {}, t(`menuGroups.${group}`)),
      h("div", { class: "menu-items", role: "group", "aria-label": t(`menuGroups.${group}`) },
        list.map(([href, label]) => link(href, label))));
    details.addEventListener("toggle", () => { if (details.open) closeGroups(details); });
    return details;
  })] : []));
  document.getElementById("who").textContent = ctx.me && token()
    ? `${ctx.me.username} · ${t(`roles.${role()}`)}${ctx.union ? ` · ${ctx.union.code}` : ""}` : "";
  const out = document.getElementById("logout");
  out.hidden = !token();
  out.textContent = t("signOut");
  document.getElementById("lang").textContent = t("other");
  const search = document.getElementById("search");
  search.hidden = !(token() && ctx.me);
  search.elements.q.placeholder = t("searchPlaceholder");
  search.elements.q.setAttribute("aria-label", t("search"));
  search.querySelector("button").textContent = t("search");
  document.title = t("appName");
  document.querySelector(".brand").textContent = t("appName");
  notificationScreens.refreshBell(shell);  // the bell's count, drawn when it answers
}

function page(title, ...children) {
  if (!token()) return;  // signed out meanwhile (a 401): the sign-in screen is drawn instead
  main().replaceChildren(h("h1", {}, title), ...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

// --- screen modules -----------------------------------------------------------------------
// Each module under js/screens/ exports ``register(shell)`` and adds its routes and menu
// entries through it; a menu label is a key of i18n.js or {vi, en}. The shell is all a
// module sees of the application: who is signed in, where, and how to draw a page.
const MODULE_ROUTES = [];
const MODULE_MENU = [];
const MODULE_GUARDS = [];  // each (hash) => another hash to go to instead, or null
export const shell = {
  ctx, page, role, committee, grassroots, union, person, personName, unionName, subtree,
  committeeMembers, unionMembers,
  route: (pattern, screen) => MODULE_ROUTES.push([pattern, screen]),
  menuItem: (href, label, visible = () => true) => MODULE_MENU.push([href, label, visible]),
  guard: (check) => MODULE_GUARDS.push(check),
};
for (const module of SCREEN_MODULES) module.register(shell);

// The header's search box and the union and person pages its results open.
searchScreens.register(shell);

const ROUTES = [
  [/^#\/login$/, loginScreen],
  [/^#\/?$/, () => dashboard()],
  [/^#\/dashboard\/(\d{4})$/, (y) => dashboard(Number(y))],
  [/^#\/ideas$/, ideasScreen],
  [/^#\/idea\/([\w-]+)$/, ideaScreen],
  [/^#\/book$/, bookScreen],
  [/^#\/register$/, registerScreen],
  [/^#\/form$/, formScreen],
  [/^#\/initiative\/([\w-]+)$/, initiativeScreen],
  [/^#\/upper$/, upperScreen],
  [/^#\/awards$/, awardsScreen],
  [/^#\/submission\/([\w-]+)$/, submissionScreen],
  [/^#\/award\/([\w-]+)$/, awardScreen],
  [/^#\/audit$/, auditListScreen],
  [/^#\/audit\/([\w-]+)$/, auditScreen],
];

// Each call of route() draws one screen; a screen still loading when a newer route starts (a
// click, or the sign-in screen after a 401) must not draw over it when it ends.
let routing = 0;

async function route() {
  const mine = ++routing;
  const hash = location.hash || "#/";
  document.getElementById("nav").classList.remove("open");
  if (!token()) {
    ctx.me = null;
    menu();
    if (hash !== "#/login") { location.hash = "#/login"; return; }
    return loginScreen();
  }
  try {
    if (!ctx.me) await load();
    menu();
    const elsewhere = MODULE_GUARDS.map((check) => check(hash)).find(Boolean);
    if (elsewhere && elsewhere !== hash) { location.hash = elsewhere; return; }
    for (const [pattern, screen] of [...ROUTES, ...MODULE_ROUTES]) {
      const found = hash.match(pattern);
      if (found) {
        main().removeAttribute("data-screen");  // loading: set again once the screen is drawn
        main().replaceChildren(h("p", { class: "muted" }, "…"));
        await screen(...found.slice(1));
        if (mine !== routing) return;
        main().setAttribute("data-screen", hash.split("/")[1] || "dashboard");
        return;
      }
    }
    page("404");
  } catch (error) {
    if (mine !== routing || !token()) return;  // a newer screen is drawn, or the sign-in
    const message = h("div");
    showError(h("div"), message, error);
    main().replaceChildren(message);
  }
}

// --- sign-in --------------------------------------------------------------------------------

function loginScreen() {
  const f = form(t("signIn"), [field("username", t("username"), { autocomplete: "username" }),
    field("password", t("password"), { type: "password", autocomplete: "current-password" })],
  async (v) => {
    await signIn(v.username, v.password);
    ctx.me = null;
    location.hash = "#/";
  }, { button: t("signIn"), id: "login" });
  main().replaceChildren(h("div", { class: "login" }, h("h1", {}, t("appName")), f));
  main().setAttribute("data-screen", "login");
}

// --- dashboards -----------------------------------------------------------------------------

async function dashboard(year = new Date().getFullYear()) {
  if (!ctx.union) { page(t("dashboard"), h("p", { class: "muted" }, t("noData"))); return; }
  const units = await subtree();
  const ids = units.map((u) => u.id);
  const [stats, awards, forms] = await Promise.all([
    get("initiatives", "statistics", { union_ids: ids, year }),
    get("awards", "awards", { year }),
    get("awards", "forms", {}),
  ]);
  const sum = (rows, key) => rows.reduce((n, r) => n + r[key], 0);
  const series = ["registered", "recognised", "applied", "replicated"];
  const byUnit = units.map((u) => ({ label: u.code, name: u.name,
    values: series.map((s) => sum(stats.filter((r) => r.union_id === u.id), s)) }))
    .filter((g) => g.values.some(Boolean)).sort((a, b) => b.values[0] - a.values[0]).slice(0, 12);
  const byPeriod = [1, 2, 3, 4].map((q) => ({ label: periodText(`${year}-Q${q}`),
    values: series.map((s) => sum(stats.filter((r) => r.period === `${year}-Q${q}`), s)) }));
  const levelOf = Object.fromEntries(forms.forms.map((f) => [f.code, f.level]));
  const inTree = new Set(ids);
  const mine = awards.filter((a) => inTree.has(a.union_id));
  const levels = ["grassroots", "direct_superior", "provincial_federation", "confederation"];
  const perLevel = levels.map((l) => ({ label: t(l), values: [mine.filter((a) => levelOf[a.form] === l).length] }));
  // Reviews: the union's own and its direct lower unions'.
  const watched = units.filter((u) => u.id === ctx.union.id || u.parent_id === ctx.union.id).slice(0, 30);
  const schedules = await Promise.all(watched.map((u) => get("reviews", "schedule", { union_id: u.id, year })
    .catch(() => ({ reviews: [] }))));
  const reviewRows = schedules.flatMap((s, i) => s.reviews.map((r) => ({ ...r, unit: watched[i] })));
  const count = (status) => reviewRows.filter((r) => r.status === status).length;
  const overdue = reviewRows.filter((r) => ["due", "overdue"].includes(r.status));

  const yearForm = h("form", { class: "actions", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/dashboard/${e.target.elements.year.value}`;
  } }, h("input", { name: "year", type: "number", value: year, style: "max-width:7rem", "aria-label": t("year") }),
  h("button", { type: "submit" }, t("show")));
  page(`${t("dashboard")} — ${ctx.union.name}`, yearForm,
    h("div", { class: "kpis", id: "kpis" }, series.map((s) => h("div", { class: "kpi", "data-kpi": s },
      h("b", {}, sum(stats, s)), t(s))),
    h("div", { class: "kpi", "data-kpi": "awards" }, h("b", {}, mine.length), t("awards")),
    h("div", { class: "kpi", "data-kpi": "overdue" }, h("b", {}, count("overdue")), t("overdue"))),
    h("div", { class: "grid" },
      barChart(t("perUnit"), series.map(t), byUnit, { id: "chart-units" }),
      barChart(t("perPeriod"), series.map(t), byPeriod, { id: "chart-periods" }),
      barChart(t("awardsPerLevel"), [t("awards")], perLevel, { id: "chart-awards" }),
      barChart(t("reviewsDue"), [t("held"), t("due"), t("overdue")],
        [{ label: String(year), values: [count("held"), count("due"), count("overdue")] }],
        { id: "chart-reviews" })),
    h("div", { class: "card" }, h("h2", {}, t("reviewsDue")),
      table([t("unit"), t("period"), t("dueOn"), t("status")],
        overdue.map((r) => [r.unit.name, periodText(r.period), date(r.due_on), badge(r.status)]))));
}

// --- ideas (R3.1) ---------------------------------------------------------------------------

async function ideasScreen() {
  const unionId = ctx.union.id;
  const mine = ctx.me.person_id ? await get("initiatives", "ideas", { union_id: unionId, author_id: ctx.me.person_id }) : [];
  const all = role() === "member" ? [] : await get("initiatives", "ideas", { union_id: unionId });
  const rows = (list) => list.map((i) => [h("a", { href: `#/idea/${i.idea_id}` }, i.title), date(i.raised_on),
    badge(i.status), i.comments]);
  const heads = [t("title"), t("date"), t("status"), t("comments")];
  page(t("ideas"),
    ctx.me.person_id ? form(t("raiseIdea"), [field("title", t("title")),
      field("description", t("description"), { type: "textarea" }),
      field("raised_on", t("date"), { type: "date", value: today() })],
    async (v) => {
      const id = await post("initiatives", "raise-idea", { union_id: unionId, author_id: ctx.me.person_id, ...v });
      location.hash = `#/idea/${id}`;
    }, { id: "raise-idea" }) : null,
    ctx.me.person_id ? h("div", { class: "card", id: "my-ideas" }, h("h2", {}, t("myIdeas")), table(heads, rows(mine))) : null,
    all.length || role() !== "member" ? h("div", { class: "card", id: "union-ideas" }, h("h2", {}, t("unionIdeas")),
      table(heads, rows(all))) : null);
}

async function ideaScreen(id) {
  const idea = await get("initiatives", "get-idea", { idea_id: id });
  const comments = await Promise.all(idea.comments.map(async (c) =>
    h("div", { class: "comment" }, h("div", { class: "muted" }, `${await personName(c.by)} · ${date(c.on)}`), c.text)));
  page(idea.title,
    h("div", { class: "card", id: "idea" }, h("p", {}, badge(idea.status), " ", date(idea.raised_on), " · ",
      await personName(idea.author_id)), h("p", {}, idea.description),
    idea.initiative_id ? h("p", {}, h("a", { href: `#/initiative/${idea.initiative_id}` }, t("initiative"))) : null),
    h("div", { class: "card", id: "comments" }, h("h2", {}, t("comments")), comments.length ? comments : h("p", { class: "muted" }, t("none"))),
    role() !== "member" && idea.status === "open" ? form(t("coach"), [field("text", t("text"), { type: "textarea" }),
      field("on", t("date"), { type: "date", value: today() })], async (v) => {
      await post("initiatives", "coach-idea", { idea_id: id, ...v });
      await ideaScreen(id);
    }, { id: "coach" }) : null,
    // Its author may take an open idea back, saying why (R3.1).
    idea.status === "open" && ctx.me.person_id === idea.author_id ? form(ownWords(WITHDRAW.title), [
      field("reason", ownWords(WITHDRAW.reason), { type: "textarea" }),
      field("on", t("date"), { type: "date", value: today() })], async (v) => {
      await post("initiatives", "withdraw-idea", { idea_id: id, ...v });
      await ideaScreen(id);
    }, { id: "withdraw-idea", button: ownWords(WITHDRAW.button) }) : null);
}

const WITHDRAW = { title: { vi: "Rút ý tưởng", en: "Withdraw the idea" },
  reason: { vi: "Lý do rút ý tưởng", en: "Why it is withdrawn" }, button: { vi: "Rút ý tưởng", en: "Withdraw" } };
const ownWords = (label) => label[language()] ?? label.vi;

// --- the grassroots committee (R3.2–R3.7) ---------------------------------------------------

const statusLabel = (s) => badge(s);

async function bookScreen() {
  const book = await getPage("initiatives", "tracking-book", { union_id: ctx.union.id, limit: 200 });
  const exportAs = (format) => async () => {
    const file = await get("initiatives", "export-book", { union_id: ctx.union.id, format });
    download(file.filename, file.content_type, file.content_base64);
  };
  page(t("book"), h("div", { class: "actions" },
    h("button", { id: "export-xlsx", onclick: exportAs("xlsx") }, t("exportXlsx")),
    h("button", { class: "secondary", onclick: exportAs("csv") }, t("exportCsv")),
    h("a", { class: "button", href: "#/register" }, t("register"))),
  h("div", { class: "card", id: "book" }, table([t("reference"), t("initiative"), t("authors"), t("status"),
    t("registered"), t("decideBy"), t("decidedOn"), t("scope"), t("valueSaved")],
  book.items.map((e) => [e.reference, [h("a", { href: `#/initiative/${e.initiative_id}` }, e.name), handedOver(e)],
    e.authors.join("; "), statusLabel(e.status), date(e.registered_on), date(e.decide_by), date(e.decided_on),
    e.scope ? t(e.scope) : "", money(e.value_saved_vnd)]))),
  await overdueCard(), await registrantsCard(new Date().getFullYear()));
}

// R1.5: an entry the union took over from a merged or split union keeps its original union and
// authors, and says where it came from; one closed when its union was dissolved says why.
function handedOver(e) {
  if (e.closed_on) return h("div", { class: "muted handover" }, `${t("closedOn")} ${date(e.closed_on)}: ${e.closed_reason}`);
  if (!e.carried_from || e.held_by !== ctx.union.id) return null;
  return h("div", { class: "muted handover" },
    `${t("carriedFrom")} ${e.carried_from_name || t("notVisible")} ${t("carriedOn")} ${date(e.carried_on)}`);
}

// R3.7: registrations still undecided past their 3-month limit, oldest first.
async function overdueCard() {
  const late = await get("initiatives", "overdue", { union_id: ctx.union.id });
  return h("div", { class: "card", id: "undecided" }, h("h2", {}, t("undecided")),
    table([t("reference"), t("initiative"), t("registered"), t("decideBy"), t("daysOverdue")],
      late.map((e) => [e.reference, h("a", { href: `#/initiative/${e.initiative_id}` }, e.name), date(e.registered_on),
        date(e.decide_by), e.days_overdue]), t("noneUndecided")));
}

// R3.3: who registered this year — how many registrations count an official, a full-time
// official, among their authors (those are registered with the union, not only by members).
async function registrantsCard(year) {
  const r = await get("initiatives", "registrants", { union_id: ctx.union.id, year });
  return h("div", { class: "card", id: "registrants" }, h("h2", {}, `${t("registrants")} ${year}`),
    table([t("registrantsKind"), t("count")], [[t("registeredTotal"), r.registered], [t("withOfficial"), r.with_official],
      [t("withFullTimeOfficial"), r.with_full_time_official], [t("topicsRegistered"), r.topics]]));
}

async function currentForm() {
  return get("initiatives", "get-form", { union_id: ctx.union.id });
}

async function registerScreen() {
  const [spec, members, ideas] = await Promise.all([currentForm(), unionMembers(ctx.union.id),
    get("initiatives", "ideas", { union_id: ctx.union.id, status: "open" })]);
  const people = [["", t("choose")], ...members.map((p) => [p.id, p.full_name])];
  const own = spec.fields.map((f) => field(`fields.${f.code}`, f.label + (f.required ? " *" : ""),
    f.type === "choice" ? { type: "select", options: [["", t("choose")], ...(f.choices || []).map((c) => [c, c])] }
      : { type: f.type === "number" ? "number" : f.type === "date" ? "date" : CORE.includes(f.code) && f.code !== "name" ? "textarea" : "text" }));
  const registration = form(`${t("register")} — ${t("formVersion")} ${spec.version}`, [
    field("reference", t("reference")),
    field("kind", t("kind"), { type: "select", options: [["initiative", t("initiative")], ["topic", t("topic")]] }),
    own,
    h("div", { class: "row", "data-field": "authors" }, h("label", {}, t("authors")),
      [0, 1].map((n) => h("div", { class: "actions" },
        h("select", { name: `author${n}`, "aria-label": `${t("authors")} ${n + 1}` },
          people.map(([v, text]) => h("option", { value: v }, text))),
        h("input", { name: `share${n}`, type: "number", placeholder: t("share"), style: "max-width:9rem",
          "aria-label": t("share") }))),
      h("div", { class: "field-error", role: "alert" })),
    field("registered_on", t("date"), { type: "date", value: today() }),
    field("idea_id", t("idea"), { type: "select", options: [["", "—"], ...ideas.map((i) => [i.idea_id, i.title])] }),
  ], async (v) => {
    const fields = {};
    for (const [k, value] of Object.entries(v)) if (k.startsWith("fields.") && value !== "") fields[k.slice(7)] = value;
    const authors = [0, 1].filter((n) => v[`author${n}`]).map((n) => ({ person_id: v[`author${n}`],
      share: Number(v[`share${n}`] || 0) }));
    const id = await post("initiatives", "register", { union_id: ctx.union.id, reference: v.reference,
      kind: v.kind, fields, authors, registered_on: v.registered_on, form_version: spec.version, idea_id: v.idea_id });
    location.hash = `#/initiative/${id}`;
  }, { id: "register" });
  page(t("register"), registration);
  similarCard(registration, { union: ctx.union, canAdopt: committee() });  // R3.8
}

async function formScreen() {
  const spec = await currentForm();
  const custom = spec.fields.filter((f) => !CORE.includes(f.code));
  page(t("formDesign"),
    h("div", { class: "card", id: "form-fields" }, h("h2", {}, `${t("formVersion")} ${spec.version}`),
      table([t("fieldCode"), t("fieldLabel"), t("fieldType"), t("required")],
        spec.fields.map((f) => [h("code", {}, f.code), f.label, t(`fieldTypes.${f.type}`), f.required ? t("yes") : t("no")]))),
    form(t("addField"), [field("code", t("fieldCode")), field("label", t("fieldLabel")),
      field("type", t("fieldType"), { type: "select", options: ["text", "number", "date", "choice"]
        .map((x) => [x, t(`fieldTypes.${x}`)]) }),
      field("choices", t("choices")),
      checks("required", t("required"), [["yes", t("required"), false]]),
      field("effective_on", t("effectiveOn"), { type: "date", value: today() }), field("reason", t("reason")),
      field("number", t("number"))],
    async (v) => {
      const added = { code: v.code, label: v.label, type: v.type, required: v.required.includes("yes"),
        choices: v.type === "choice" ? v.choices.split(";").map((c) => c.trim()).filter(Boolean) : null };
      await post("initiatives", "design-form", { union_id: ctx.union.id, fields: [...custom, added],
        effective_on: v.effective_on, reason: v.reason, number: v.number });
      await formScreen();
    }, { id: "design-form" }));
}

function evidence(v) {
  return (v.evidence || "").split("\n").map((x) => x.trim()).filter(Boolean);
}

async function initiativeScreen(id) {
  const i = await get("initiatives", "get-initiative", { initiative_id: id });
  // The labels of the union's own registration form, the version the initiative was registered on.
  const spec = await get("initiatives", "get-form", { union_id: i.union_id, version: i.form_version }).catch(() => null);
  const labels = Object.fromEntries(((spec && spec.fields) || []).map((f) => [f.code, f.label]));
  const names = await Promise.all(i.authors.map(async (a) => `${await personName(a.person_id)} (${a.share}%)`));
  const own = ctx.union && ctx.union.id === i.union_id && committee();
  const above = ctx.union && ctx.union.id !== i.union_id && committee();
  const refresh = () => initiativeScreen(id);
  const dateField = (name = "decided_on") => field(name, t("date"), { type: "date", value: today() });
  const sections = [];
  if (own && ["registered"].includes(i.status) && !i.council) {
    const members = await committeeMembers(i.union_id);
    sections.push(form(t("council"), [checks("members", t("members"), members.map((m) => [m.person_id, m.full_name, true])),
      dateField("on"), field("reason", t("reason")), field("number", t("number"))],
    async (v) => { await post("initiatives", "constitute-council", { initiative_id: id, ...v }); await refresh(); },
    { id: "council" }));
  }
  if (own && i.council && ["registered"].includes(i.status)) {
    // The council's members as stored: ids, or records naming the person.
    const members = (i.council.members || []).map((m) => (typeof m === "string" ? m : m.person_id));
    const rows = await Promise.all(members.map(async (m) => h("div", { class: "actions" },
      h("span", { style: "min-width:10rem" }, await personName(m)),
      CRITERIA.map(([code, label]) => h("input", { name: `score.${m}.${code}`, type: "number", value: 8,
        style: "max-width:6rem", "aria-label": label, title: label })),
      h("select", { name: `vote.${m}`, "aria-label": t("vote") },
        ["for", "against", "abstain"].map((x) => h("option", { value: x }, t(x)))))));
    sections.push(form(t("evaluation"), [h("div", { class: "row", "data-field": "scores" },
      h("label", {}, CRITERIA.map((c) => c[1]).join(" · ")), rows, h("div", { class: "field-error" })),
    dateField("on"), field("minutes", t("minutes"))], async (v) => {
      const scores = {}, votes = {};
      for (const m of members) {
        scores[m] = Object.fromEntries(CRITERIA.map(([c]) => [c, Number(v[`score.${m}.${c}`])]));
        votes[m] = v[`vote.${m}`];
      }
      await post("initiatives", "record-evaluation", { initiative_id: id, on: v.on, scores, votes, minutes: v.minutes });
      await refresh();
    }, { id: "evaluation" }));
  }
  if (own && ["evaluated", "accepted"].includes(i.status)) {
    sections.push(form(t("recognise"), [dateField(), field("reason", t("reason")), field("number", t("number")),
      field("evidence", t("evidence"), { type: "textarea" })], async (v) => {
      await post("initiatives", "recognise", { initiative_id: id, decided_on: v.decided_on, reason: v.reason,
        number: v.number, evidence: evidence(v) });
      await refresh();
    }, { id: "recognise" }));
  }
  if (own && i.status === "recognised") {
    sections.push(form(t("application"), [field("applied_from", t("appliedFrom"), { type: "date" }),
      field("benefit", t("benefit")), field("value_saved_vnd", t("valueSaved"), { type: "number" }),
      field("reported_on", t("date"), { type: "date", value: today() })], async (v) => {
      await post("initiatives", "report-application", { initiative_id: id, ...v,
        value_saved_vnd: v.value_saved_vnd === "" ? "" : Number(v.value_saved_vnd) });
      await refresh();
    }, { id: "application" }));
  }
  if (committee() && i.status === "recognised") {
    sections.push(form(t("propose"), [dateField("proposed_on"), field("reason", t("reason")), field("number", t("number"))],
      async (v) => { await post("initiatives", "propose", { initiative_id: id, ...v }); await refresh(); },
      { id: "propose" }));
  }
  if (above && i.status === "recognised") {
    sections.push(form(t("recogniseAtLevel"), [field("scope", t("scope"), { type: "select",
      value: LEVEL_OF_UNION[ctx.union.level], options: [["direct_superior", t("direct_superior")], ["province", t("province")]] }),
    dateField(), field("reason", t("reason")), field("number", t("number"))], async (v) => {
      await post("initiatives", "recognise-at-level", { initiative_id: id, ...v });
      await refresh();
    }, { id: "recognise-at-level" }));
  }
  const fields = Object.entries(i.fields).map(([k, v]) => [labels[k] || t(`coreFields.${k}`), v]);
  const recognitionFile = (method, scope) => async () => {
    const doc = await get("initiatives", method, { initiative_id: id, scope });
    download(doc.filename, doc.media_type, doc.content_base64);
  };
  page(`${i.reference} — ${i.name}`,
    h("div", { class: "card", id: "initiative" }, h("p", {}, statusLabel(i.status), " ", t(i.kind), " · ",
      await unionName(i.union_id)),
    h("p", {}, `${t("authors")}: ${names.join("; ")}`),
    table([t("fields"), ""], fields),
    h("p", {}, `${t("registered")}: ${date(i.registered_on)} · ${t("decideBy")}: ${date(i.decide_by)}`),
    Object.keys(i.recognitions || {}).length ? h("p", { id: "recognitions" }, `${t("recognised")}: `,
      Object.entries(i.recognitions).map(([scope, d]) =>
        `${t(scope)} ${(d && d.number) || ""} (${date(d && d.decided_on)})`).join("; ")) : null,
    Object.keys(i.recognitions || {}).length ? h("div", { class: "actions", id: "recognition-documents" },
      Object.keys(i.recognitions).flatMap((scope) => [
        h("button", { class: "secondary", "data-scope": scope, onclick: recognitionFile("render-recognition", scope) },
          `${t("recognitionDecision")} · ${t(scope)} (PDF)`),
        h("button", { class: "secondary", "data-scope": scope, onclick: recognitionFile("render-recognition-certificates", scope) },
          `${t("recognitionCertificates")} · ${t(scope)} (PDF)`)])) : null,
    i.applications.length ? h("p", {}, `${t("applied")}: ${money(i.value_saved_vnd)}`) : null,
    i.proposal ? h("p", { id: "proposal" }, `${t("proposal")}: ${t(i.proposal.scope)}`,
      i.proposal.decision ? ` (${date(i.proposal.decision.decided_on)})` : "") : null,
    role() === "auditor" ? h("a", { href: `#/audit/${id}` }, t("auditIt")) : null),
    sections);
}

// --- upper unions (R2.6, R4.3, R4.4) ---------------------------------------------------------

async function upperScreen() {
  const unitsBelow = (await subtree()).filter((u) => u.parent_id === ctx.union.id);
  const [overdue, submissions, nominations] = await Promise.all([
    get("reviews", "overdue", { upper_union_id: ctx.union.id }),
    get("awards", "submissions", { to_union_id: ctx.union.id }),
    get("awards", "nominations", { to_union_id: ctx.union.id }),
  ]);
  const subs = await Promise.all(submissions.map(async (s) => [
    h("a", { href: `#/submission/${s.submission_id}` }, await unionName(s.union_id)), s.year, badge(s.status)]));
  const titles = await formTitles();
  const noms = await Promise.all(nominations.map(async (n) => [n.subject === "collective"
    ? await unionName(n.subject_id) : await personName(n.subject_id), titles[n.form] || n.form,
  await unionName(n.union_id), badge(n.status), awardsScreens.proceedingsLink(n.nomination_id)]));
  page(`${t("upper")} — ${ctx.union.name}`,
    h("div", { class: "card", id: "overdue" }, h("h2", {}, t("overdueReviews")),
      table([t("unit"), t("period"), t("dueOn"), t("status")], overdue.map((r) => [r.name, periodText(r.period), date(r.due_on), badge(r.status)]))),
    h("div", { class: "card", id: "submissions-to-us" }, h("h2", {}, t("proposedToUs")),
      table([t("unit"), t("year"), t("status")], subs)),
    h("div", { class: "card", id: "nominations-to-us" }, h("h2", {}, t("nominationsToUs")),
      table([t("person"), t("form"), t("unit"), t("status"), t("grounds.proceedings")], noms)),
    form(t("classify"), [field("union_id", t("unit"), { type: "select",
      options: [["", t("choose")], ...unitsBelow.map((u) => [u.id, u.name])] }),
    field("year", t("year"), { type: "number", value: new Date().getFullYear() - 1 }),
    field("classified_on", t("date"), { type: "date", value: today() }),
    field("appraised_score", t("score"), { type: "number" }),
    field("findings", t("findings"), { type: "textarea" })], async (v) => {
      await post("reviews", "classify", { union_id: v.union_id, year: Number(v.year), upper_union_id: ctx.union.id,
        classified_on: v.classified_on, appraised_score: v.appraised_score === "" ? "" : Number(v.appraised_score),
        findings: v.findings.split("\n").map((x) => x.trim()).filter(Boolean) });
    }, { id: "classify" }));
}

// --- awards: nominate, select, submit, decide, print (R4.1–R4.5) -------------------------------

async function awardsScreen() {
  const u = ctx.union;
  const level = u.level;
  const [catalogue, ownNominations, toUs, awards, members, submissions] = await Promise.all([
    catalogueOf(),
    get("awards", "nominations", { union_id: u.id }),
    u.level === "grassroots" ? [] : get("awards", "nominations", { to_union_id: u.id }),
    get("awards", "awards", { union_id: u.id }),
    committeeMembers(u.id),
    get("awards", "submissions", { union_id: u.id }),
  ]);
  const people = u.level === "grassroots" ? await unionMembers(u.id) : [];
  const recognisedHere = u.level === "grassroots"
    ? (await getPage("initiatives", "tracking-book", { union_id: u.id, status: "recognised", limit: 200 })).items : null;
  const forms = catalogue.forms.filter((f) => f.level === level || f.level === LEVEL_ABOVE[u.level]);
  const formTitle = Object.fromEntries(catalogue.forms.map((f) => [f.code, f.title]));
  const nominee = async (n) => (n.subject === "individual" ? personName(n.subject_id) : unionName(n.subject_id));
  const label = async (n) => `${await nominee(n)} — ${formTitle[n.form] || n.form}`;
  const carried = toUs.filter((n) => n.status !== "awarded");
  const decidable = [...ownNominations.filter((n) => catalogueLevel(catalogue, n.form) === level && n.status !== "awarded"),
    ...toUs.filter((n) => catalogueLevel(catalogue, n.form) === level && n.status !== "awarded")];
  const upward = ownNominations.filter((n) => catalogueLevel(catalogue, n.form) !== level && n.status !== "awarded");
  const year = new Date().getFullYear() - 1;
  const opts = async (list) => Promise.all(list.map(async (n) => [n.nomination_id, await label(n), false]));

  const nominateForm = form(t("nominate"), [
    carried.length ? field("carries", t("carries"), { type: "select",
      options: [["", "—"], ...(await opts(carried)).map(([a, b]) => [a, b])] }) : null,
    field("subject_id", t("person"), { type: "select", options: [["", t("choose")],
      ...people.map((p) => [p.id, p.full_name])] }),
    field("form", t("form"), { type: "select", options: [["", t("choose")], ...forms.map((f) => [f.code, f.title])] }),
    field("year", t("year"), { type: "number", value: year }),
    field("achievement", t("achievement"), { type: "textarea" }),
    // At a grassroots union, its own recognised initiatives to pick from; above, their ids.
    recognisedHere ? checks("initiative_ids", t("initiative"), recognisedHere.map((e) => [e.initiative_id,
      `${e.reference} — ${e.name}`, false])) : field("initiative_ids", `${t("initiative")} (id)`),
    field("nominated_on", t("date"), { type: "date", value: today() })],
  async (v) => {
    const base = v.carries ? toUs.find((n) => n.nomination_id === v.carries) : null;
    await post("awards", "nominate", { union_id: u.id, subject: base ? base.subject : "individual",
      subject_id: base ? base.subject_id : v.subject_id, year: Number(v.year), form: v.form,
      achievement: v.achievement, nominated_on: v.nominated_on, carries: v.carries,
      initiative_ids: Array.isArray(v.initiative_ids) ? (v.initiative_ids.length ? v.initiative_ids : undefined)
        : v.initiative_ids ? v.initiative_ids.split(/[\s,;]+/).filter(Boolean) : undefined });
    await awardsScreen();
  }, { id: "nominate" });

  const pending = ownNominations.filter((n) => n.status === "nominated");
  const selectionForm = form(t("selection"), [
    checks("attendees", t("attendees"), members.map((m) => [m.person_id, m.full_name, true])),
    h("div", { class: "row", "data-field": "votes" }, h("label", {}, t("votesFor")),
      await Promise.all(pending.map(async (n) => h("div", { class: "actions" }, h("span", {}, await label(n)),
        h("input", { type: "number", name: `votes.${n.nomination_id}`, value: members.length, style: "max-width:6rem",
          "aria-label": t("votesFor") })))), h("div", { class: "field-error" })),
    field("minutes", t("minutes"), { type: "textarea" }),
    field("held_on", t("date"), { type: "date", value: today() })],
  async (v) => {
    const votes = Object.fromEntries(pending.map((n) => [n.nomination_id, { for: Number(v[`votes.${n.nomination_id}`]) }]));
    await post("awards", "hold-selection", { union_id: u.id, held_on: v.held_on, attendees: v.attendees, votes,
      minutes: v.minutes });
  }, { id: "selection" });

  const draftForm = form(t("draft"), [checks("nomination_ids", t("nominations"), await opts(upward)),
    field("year", t("year"), { type: "number", value: year }),
    field("drafted_on", t("date"), { type: "date", value: today() })], async (v) => {
    const id = await post("awards", "draft-submission", { union_id: u.id, year: Number(v.year),
      nomination_ids: v.nomination_ids, drafted_on: v.drafted_on });
    location.hash = `#/submission/${id}`;
  }, { id: "draft" });

  const decideForm = form(t("decide"), [
    field("form", t("form"), { type: "select", options: [["", t("choose")],
      ...catalogue.forms.filter((f) => f.level === level).map((f) => [f.code, f.title])] }),
    checks("nomination_ids", t("nominations"), await opts(decidable)),
    field("number", t("number")), field("decided_on", t("date"), { type: "date", value: today() }),
    field("reason", t("reason")),
    field("signer_id", t("signer"), { type: "select", options: members.map((m) => [m.person_id, m.full_name]) }),
    field("evidence", t("evidence"), { type: "textarea" })],
  async (v) => {
    const award = await post("awards", "decide-award", { union_id: u.id, form: v.form, decided_on: v.decided_on,
      number: v.number, nomination_ids: v.nomination_ids, reason: v.reason, signer_id: v.signer_id,
      evidence: evidence(v) });
    location.hash = `#/award/${award.award_id}`;
  }, { id: "decide" });

  const nominationRows = await Promise.all(ownNominations.map(async (n) => [await nominee(n),
    formTitle[n.form] || n.form, n.year, badge(n.status), awardsScreens.proceedingsLink(n.nomination_id)]));
  const awardRows = awards.map((a) => [h("a", { href: `#/award/${a.award_id}` }, a.number), formName(formTitle, a.form),
    date(a.decided_on), badge(a.status || "decided")]);
  const submissionRows = await Promise.all(submissions.map(async (s) => [
    h("a", { href: `#/submission/${s.submission_id}` }, await unionName(s.to_union_id)), s.year, badge(s.status)]));
  page(`${t("awards")} — ${u.name}`,
    h("div", { class: "card", id: "nominations" }, h("h2", {}, t("nominations")),
      table([t("person"), t("form"), t("year"), t("status"), t("grounds.proceedings")], nominationRows)),
    h("div", { class: "card", id: "submissions" }, h("h2", {}, t("submission")),
      table([t("unit"), t("year"), t("status")], submissionRows)),
    h("div", { class: "card", id: "awards" }, h("h2", {}, t("awardList")),
      table([t("number"), t("form"), t("date"), t("status")], awardRows)),
    h("div", { class: "grid" }, nominateForm, selectionForm, draftForm, decideForm));
}

function catalogueLevel(catalogue, code) {
  return (catalogue.forms.find((f) => f.code === code) || {}).level;
}

async function submissionScreen(id) {
  const s = await get("awards", "get-submission", { submission_id: id });
  const check = await get("awards", "dossier-check", { submission_id: id });
  const mineToSend = ctx.union && ctx.union.id === s.union_id;
  const kinds = ["submission_letter", "initiative_summary", "achievement_summary", "recognition_decision", "minutes_extract"];
  const refresh = () => submissionScreen(id);
  const titles = await formTitles();
  const nominations = await Promise.all(s.nomination_ids.map(async (nid) => {
    const n = await get("awards", "get-nomination", { nomination_id: nid });
    return [nid, `${n.subject === "individual" ? await personName(n.subject_id) : await unionName(n.subject_id)} — ${titles[n.form] || n.form}`];
  }));
  const sections = [];
  if (mineToSend && s.status !== "submitted") {
    sections.push(form(t("attach"), [field("kind", t("kind"), { type: "select", options: kinds.map((k) => [k, t(`kindOf.${k}`)]) }),
      field("nomination_id", t("nominations"), { type: "select", options: [["", "—"], ...nominations] }),
      field("content_base64", t("file"), { type: "file" }),
      field("attached_on", t("date"), { type: "date", value: today() })], async (v, el) => {
      const file = el.querySelector("input[type=file]").files[0];
      await post("awards", "attach-document", { submission_id: id, kind: v.kind, nomination_id: v.nomination_id,
        filename: file ? file.name : "", media_type: file ? file.type || "application/octet-stream" : "",
        content_base64: file ? await fileBase64(file) : "", attached_on: v.attached_on });
      await refresh();
    }, { id: "attach" }));
    sections.push(form(t("submit"), [field("submitted_on", t("date"), { type: "date", value: today() }),
      field("number", t("letterNumber"))], async (v) => {
      await post("awards", "submit", { submission_id: id, ...v });
      await refresh();
    }, { button: t("submit"), id: "submit" }));
  }
  if (!mineToSend && s.status === "submitted" && committee()) {
    sections.push(form(t("returnIt"), [field("reason", t("reason")),
      checks("missing", t("missing"), kinds.map((k) => [k, t(`kindOf.${k}`), false])),
      field("returned_on", t("date"), { type: "date", value: today() })], async (v) => {
      await post("awards", "return-submission", { submission_id: id, ...v });
      await refresh();
    }, { id: "return" }));
  }
  const letter = (format) => async () => {
    const file = await get("awards", "render-submission-letter", { submission_id: id, format });
    download(file.filename, file.media_type, file.content_base64);
  };
  page(`${t("submission")}: ${await unionName(s.union_id)} → ${await unionName(s.to_union_id)}`,
    h("div", { class: "card", id: "submission" }, h("p", {}, badge(s.status), ` ${t("year")} ${s.year} · ${date(s.drafted_on)}`),
      h("ul", {}, nominations.map(([nid, text]) => h("li", {}, text,
        awardsScreens.follows(shell) ? [" · ", awardsScreens.proceedingsLink(nid)] : []))),
      h("div", { class: "actions" },
        h("button", { class: "secondary", id: "print-letter", onclick: letter("pdf") }, t("submissionLetter")),
        h("button", { class: "secondary", id: "print-letter-docx", onclick: letter("docx") }, t("editableCopy")))),
    h("div", { class: "card", id: "documents" }, h("h2", {}, t("documents")),
      table([t("kind"), t("file"), "SHA-256"], s.documents.map((d) => [t(`kindOf.${d.kind}`),
        h("button", { class: "link", "data-sha256": d.sha256, onclick: () => storedDocument(d) }, d.filename),
        h("code", {}, String(d.sha256).slice(0, 16))]))),
    h("div", { class: "card", id: "dossier-check" }, h("h2", {}, t("missing")),
      check.missing.length ? h("ul", {}, check.missing.map((m) => h("li", { "data-item": m.item },
        t(`kindOf.${m.item}`))))
        : h("p", { class: "ok" }, t("complete"))),
    h("div", { class: "grid" }, sections));
}

// A document of a dossier as it was attached (R4.4): its bytes from the store, downloaded only
// when their SHA-256 still matches the one recorded when it was attached.
async function storedDocument(d) {
  const stored = await get("awards", "get-document", { sha256: d.sha256 });
  if (!stored.verified) {
    alert(t("documentAltered"));
    return;
  }
  download(d.filename, stored.media_type, stored.content_base64);
}

async function awardScreen(id) {
  const a = await get("awards", "get-award", { award_id: id });
  const file = (method, format) => async () => {
    const doc = await get("awards", method, format ? { award_id: id, format } : { award_id: id });
    download(doc.filename, doc.media_type, doc.content_base64);
  };
  const follows = awardsScreens.follows(shell);
  const awardees = await Promise.all(a.awardees.map(async (x) => [x.subject === "individual"
    ? await personName(x.subject_id) : await unionName(x.subject_id), x.achievement, badge(x.status),
  ...(follows ? [x.nomination_id ? awardsScreens.proceedingsLink(x.nomination_id) : ""] : [])]));
  const titles = await formTitles();
  page(`${t("decision")} ${a.number}`,
    h("div", { class: "card", id: "award" }, h("p", {}, `${await unionName(a.union_id)} · ${date(a.decided_on)} · `
      + `${formName(titles, a.form)}`),
      table([t("person"), t("achievement"), t("status"), ...(follows ? [t("grounds.proceedings")] : [])], awardees),
      follows ? h("p", {}, awardsScreens.citedLink(id)) : null,
      h("div", { class: "actions" },
        h("button", { id: "print-decision", onclick: file("render-decision", "pdf") }, t("printDecision")),
        h("button", { class: "secondary", id: "print-list", onclick: file("render-award-list", "pdf") }, t("printList")),
        h("button", { class: "secondary", id: "print-certificates", onclick: file("render-certificates") }, t("printCertificates")),
        h("button", { class: "secondary", id: "print-decision-docx", onclick: file("render-decision", "docx") }, t("editableDecision")),
        h("button", { class: "secondary", id: "print-list-docx", onclick: file("render-award-list", "docx") }, t("editableList")))));
}

// --- auditors (R4.5, R5.1) ------------------------------------------------------------------

async function auditListScreen() {
  const [awards, titles] = await Promise.all([get("awards", "awards", {}), formTitles()]);
  const rows = await Promise.all(awards.map(async (a) => [h("a", { href: `#/audit/${a.award_id}` }, a.number),
    formName(titles, a.form), await unionName(a.union_id), date(a.decided_on),
    h("a", { href: `#/award/${a.award_id}` }, t("grounds.openAward"))]));
  page(t("audit"), form(t("auditIt"), [field("record_id", t("recordId"))], async (v) => {
    location.hash = `#/audit/${v.record_id}`;
  }, { button: t("show"), id: "audit-open", lookup: true }),
  h("div", { class: "card", id: "decisions" }, h("h2", {}, t("awardList")),
    table([t("number"), t("form"), t("unit"), t("date"), t("decision")], rows)));
}

async function auditScreen(id) {
  const report = await get("audit", "audit-report", { record_id: id, format: "json" });
  const trail = JSON.parse(report.content);
  const actors = {};
  for (const step of trail.timeline) {
    const user = step.actor && step.actor.user_id;
    if (user && !(user in actors)) actors[user] = await personName(user).catch(() => user);
  }
  const timeline = h("ol", { class: "timeline", id: "timeline" }, trail.timeline.map((s) =>
    h("li", { class: s.authority ? "decision" : "", "data-stage": s.stage },
      h("b", {}, `${date(s.on)} · ${t(s.stage)}`), ` — ${eventName(s.record, s.event)}`,
      h("div", { class: "muted" }, `${t("by")}: ${actors[s.actor?.user_id] || t("system")}`,
        s.actor?.role ? ` (${t(`roles.${s.actor.role}`)})` : "", s.number ? ` · ${t("number")} ${s.number}` : "",
        s.rule_set && s.rule_set.in_force_from ? ` · ${t("rulesFrom")} ${date(s.rule_set.in_force_from)}` : ""),
      s.reason ? h("div", {}, s.reason) : null)));
  const tree = (chain) => {
    // The chain is the union then those above it: drawn from the top down.
    const top = [...(chain || [])].reverse();
    let node = null, root = null;
    for (const u of top) {
      const li = h("li", {}, `${u.name || u.id} `, u.code ? h("span", { class: "muted" }, `(${u.code})`) : null);
      const ul = h("ul", { class: "tree" }, li);
      if (node) node.append(ul); else root = ul;
      node = li;
    }
    return root || h("p", { class: "muted" }, t("none"));
  };
  const authority = trail.authority.map((a) => h("div", { class: "card authority" },
    h("h2", {}, `${eventName(a.step.record, a.step.event)} · ${date(a.on)}`),
    h("div", { class: "grid" },
      h("div", { class: "tree-then" }, h("b", {}, t("treeThen")), tree(a.union_then)),
      h("div", {}, h("b", {}, t("treeNow")), tree(a.union_now))),
    h("p", {}, `${t("members")}: `, ((a.body_then || {}).members || []).map((m) => m.full_name).join(", ") || "—"),
    h("p", { "data-held": String(a.held) }, `${t("heldSeat")}: `, a.held ? t("yes") : t("no"))));
  const integrity = Object.entries(trail.integrity || {}).map(([name, r]) => [term("stores", name) ?? name,
    badge(r.ok ? "ok" : "broken"), r.ok ? `${r.checked ?? r.events ?? ""}` : h("code", {}, JSON.stringify(r.first_break || r))]);
  const printable = async () => {
    const response = await raw(`/v1/audit/audit-report/document?record_id=${encodeURIComponent(id)}&format=html`);
    window.open(URL.createObjectURL(await response.blob()), "_blank");
  };
  page(`${t("audit")}: ${term("records", trail.record) ?? trail.record} — ${await unionName(trail.union_id)}`,
    h("div", { class: "card", id: "verification" }, h("h2", {}, t("verification")),
      h("p", { class: report.verified ? "ok" : "form-error", "data-verified": String(report.verified) },
        report.verified ? t("verified") : t("broken")),
      table([t("store"), t("status"), t("checked")], integrity),
      h("button", { class: "secondary", onclick: printable }, t("printable"))),
    h("div", { class: "card" }, h("h2", {}, t("timeline")),
      h("p", { id: "stages" }, trail.stages.map((s) => h("span", { class: "badge", "data-stage": s }, t(s))), " "),
      timeline),
    h("h2", {}, t("authorityThen")), authority);
}

// --- start ----------------------------------------------------------------------------------

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  setLanguage(language());
  document.getElementById("lang").addEventListener("click", async () => {
    setLanguage(language() === "vi" ? "en" : "vi");
    await route();
  });
  document.getElementById("logout").addEventListener("click", () => {
    signOut();
    ctx.me = null;
    location.hash = "#/login";
  });
  document.getElementById("menu-toggle").addEventListener("click", () =>
    document.getElementById("nav").classList.toggle("open"));
  // An open group of the menu closes on Escape (focus back on its title) and on a click
  // elsewhere; following one of its links closes it too (the route redraws the menu).
  document.addEventListener("keydown", (e) => {
    const open = document.querySelector("#nav details[open]");
    if (e.key === "Escape" && open) { open.open = false; open.querySelector("summary").focus(); }
  });
  document.addEventListener("click", (e) => {
    if (!e.target.closest("#nav details") || e.target.closest("#nav a")) closeGroups();
  });
  route();
});

export { ApiError };
