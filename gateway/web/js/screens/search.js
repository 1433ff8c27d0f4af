// The search box of the header (unions, people, initiatives; diacritics and case ignored, as
// the services' search queries do) and the pages its results open: a union and a person.
// Drawn with lit-html templates (README, "Web"): the page is a function of the data.
import { html, render } from "/vendor/lit-html/lit-html.js";
import { get, getPage } from "../api.js";
import { t, term } from "../i18n.js";
import { badge, date, table } from "../ui.js";

let shell;

export function register(s) {
  shell = s;
  s.route(/^#\/search\/(.*)$/, (q) => searchScreen(decodeURIComponent(q)));
  s.route(/^#\/union\/([\w-]+)$/, unionScreen);
  s.route(/^#\/person\/([\w-]+)$/, personScreen);
  const box = document.getElementById("search");
  if (box) {
    box.addEventListener("submit", (event) => {
      event.preventDefault();
      const q = box.elements.q.value.trim();
      location.hash = `#/search/${encodeURIComponent(q)}`;
    });
  }
}

// A lit-html template as a node the shell's page takes.
function node(template) {
  const box = document.createElement("div");
  render(template, box);
  return box;
}

// A query that this role may not make, or that finds nothing it may see, is no result.
const quietly = (promise) => promise.catch(() => []);

async function searchScreen(q) {
  const box = document.getElementById("search");
  if (box && box.elements.q.value !== q) box.elements.q.value = q;
  if (q.trim().length < 2) {
    shell.page(t("searchResults"), node(html`<p class="muted">${t("searchEmpty")}</p>`));
    return;
  }
  const scoped = shell.ctx.union && shell.role() !== "administrator";
  // A union's code (TV-CS-0001), which every office knows, finds that union first.
  const code = q.trim();
  const byCode = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(code)
    ? quietly(get("registry", "union-by-code", { code })
      .then((found) => get("registry", "get-union", { union_id: found.id })).then((u) => [u])) : [];
  const [named, found, people, initiatives] = await Promise.all([
    byCode,
    quietly(get("registry", "search-unions", { q })),
    quietly(get("registry", "search-people", { q, union_id: scoped && shell.grassroots() ? shell.ctx.union.id : undefined })),
    quietly(get("initiatives", "search-initiatives", { q })),
  ]);
  const unions = [...named, ...found.filter((u) => !named.some((n) => n.id === u.id))];
  const section = (id, title, items, row) => html`
    <section class="card" id=${id} aria-labelledby=${`${id}-h`}>
      <h2 id=${`${id}-h`}>${title} <span class="muted">(${items.length})</span></h2>
      ${items.length ? html`<ul class="results">${items.map(row)}</ul>` : html`<p class="muted">${t("none")}</p>`}
    </section>`;
  shell.page(`${t("searchResults")}: “${q}”`, node(html`
    ${unions.length + people.length + initiatives.length ? "" : html`<p class="muted" id="no-results">${t("noResults")}</p>`}
    ${section("found-unions", t("unions"), unions, (u) => html`
      <li><a href=${`#/union/${u.id}`}>${u.name}</a> <span class="muted">${u.code} · ${term("levels", u.level) ?? u.level}</span></li>`)}
    ${section("found-people", t("people"), people, (p) => html`
      <li><a href=${`#/person/${p.id}`}>${p.full_name}</a> <span class="muted">${p.code}${p.birth_date ? ` · ${date(p.birth_date)}` : ""}</span></li>`)}
    ${section("found-initiatives", t("initiatives"), initiatives, (i) => html`
      <li><a href=${`#/initiative/${i.initiative_id}`}>${i.name}</a>
        <span class="muted">${i.reference} · ${date(i.registered_on)}</span> ${badge(i.status)}</li>`)}`));
}

async function unionScreen(id) {
  const u = await get("registry", "get-union", { union_id: id });
  const [above, below, members, book] = await Promise.all([
    quietly(get("registry", "ancestors", { union_id: id })),
    quietly(get("registry", "descendants", { union_id: id })),
    getPage("registry", "members", { union_id: id, limit: 50 }).catch(() => ({ total: 0, items: [] })),
    u.level === "grassroots" ? getPage("initiatives", "tracking-book", { union_id: id, limit: 50 })
      .catch(() => ({ total: 0, items: [] })) : { total: 0, items: [] },
  ]);
  const parent = above.find((x) => x.id === u.parent_id);
  const children = below.filter((x) => x.parent_id === id);
  const people = members.items;
  shell.page(u.name, node(html`
    <section class="card" id="union">
      <dl class="facts">
        <dt>${t("code")}</dt><dd>${u.code}</dd>
        <dt>${t("level")}</dt><dd>${term("levels", u.level) ?? u.level}</dd>
        <dt>${t("status")}</dt><dd>${badge(u.status)}</dd>
        ${u.founded_on ? html`<dt>${t("foundedOn")}</dt><dd>${date(u.founded_on)}</dd>` : ""}
        ${parent ? html`<dt>${t("parent")}</dt><dd><a href=${`#/union/${parent.id}`}>${parent.name}</a></dd>` : ""}
      </dl>
    </section>
    ${children.length ? html`<section class="card" id="union-below"><h2>${t("below")}</h2>
      <ul class="results">${children.map((c) => html`<li><a href=${`#/union/${c.id}`}>${c.name}</a>
        <span class="muted">${c.code}</span></li>`)}</ul></section>` : ""}
    ${people.length ? html`<section class="card" id="union-members"><h2>${t("membersOfUnion")}
      <span class="muted">(${members.total})</span></h2>
      <ul class="results">${people.map((p) => html`<li><a href=${`#/person/${p.id}`}>${p.full_name}</a>
        <span class="muted">${p.code}</span></li>`)}</ul></section>` : ""}
    ${book.items.length ? html`<section class="card" id="union-initiatives"><h2>${t("initiativesOfUnion")}</h2>
      ${table([t("reference"), t("initiative"), t("status"), t("registered")], book.items.map((e) => [e.reference,
        node(html`<a href=${`#/initiative/${e.initiative_id}`}>${e.name}</a>`), badge(e.status), date(e.registered_on)]))}
      </section>` : ""}`));
}

async function personScreen(id) {
  const p = await get("registry", "get-person", { person_id: id });
  const unionName = shell.unionName;
  const memberships = await Promise.all((p.memberships || []).map(async (m) => ({ ...m, name: await unionName(m.union_id) })));
  const gender = p.gender ? t(`genders.${p.gender}`) : "";
  const positions = await Promise.all((p.positions || []).map(async (x) => ({ ...x,
    unionName: await unionName(x.body.union_id) })));
  shell.page(p.full_name, node(html`
    <section class="card" id="person">
      <dl class="facts">
        <dt>${t("code")}</dt><dd>${p.code}</dd>
        ${p.birth_date ? html`<dt>${t("birthDate")}</dt><dd>${date(p.birth_date)}</dd>` : ""}
        ${gender ? html`<dt>${t("gender")}</dt><dd>${gender}</dd>` : ""}
        <dt>${t("officialRole")}</dt><dd>${p.is_official ? t("yes") : t("no")}${p.is_full_time ? ` · ${t("fullTime")}` : ""}</dd>
        ${p.union_id ? html`<dt>${t("unit")}</dt><dd><a href=${`#/union/${p.union_id}`}>${await unionName(p.union_id)}</a></dd>` : ""}
      </dl>
    </section>
    ${positions.length ? html`<section class="card" id="person-positions"><h2>${t("positionsHeld")}</h2>
      <ul class="results">${positions.map((x) => html`<li>${term("positions", x.position) ?? x.position},
        ${term("bodyKinds", x.body.kind) ?? x.body.kind} — <a href=${`#/union/${x.body.union_id}`}>${x.unionName}</a>
        <span class="muted">${t("from").toLowerCase()} ${date(x.since)}</span></li>`)}</ul>
      </section>` : ""}
    <section class="card" id="person-memberships"><h2>${t("memberships")}</h2>
      ${table([t("unit"), t("from"), t("to")], memberships.map((m) => [
        node(html`<a href=${`#/union/${m.union_id}`}>${m.name}</a>`), date(m.valid_from), date(m.valid_to)]))}
    </section>`));
}
