// The public register (Law 06/2022/QH15: awards and recognised initiatives are public): no
// sign-in, no token; it reads /public/api only. Search, year and union filters, pages of 20,
// the signed PDF of each decision, and the open-data export of the same rows.
const PAGE = 20;
const API = "/public/api";
const KINDS = { collective: "Tập thể", individual: "Cá nhân" };

const REGISTERS = {
  awards: {
    title: "Khen thưởng đã quyết định",
    headings: ["Số, ngày quyết định", "Tập thể, cá nhân", "Hình thức", "Năm",
      "Công đoàn quyết định", "Tình trạng", "Văn bản"],
    row: (i) => [
      [h("b", {}, i.number), h("br"), date(i.decided_on)],
      [h("span", {}, i.name), h("br"), h("span", { class: "muted" },
        [KINDS[i.kind] || i.kind, i.unit && i.unit !== i.name ? ` · ${i.unit}` : ""].join(""))],
      i.form, String(i.year), i.union, status(i), pdf(i)],
  },
  initiatives: {
    title: "Sáng kiến được công nhận",
    headings: ["Tên sáng kiến", "Tác giả", "Đơn vị", "Phạm vi công nhận",
      "Số, ngày quyết định", "Công đoàn quyết định", "Tình trạng", "Văn bản"],
    row: (i) => [
      h("b", {}, i.name),
      i.authors.map((a) => a.share ? `${a.full_name} (${a.share}%)` : a.full_name).join(", "),
      i.unit, i.scope_title, [i.number || "", h("br"), date(i.decided_on)], i.union,
      status(i), pdf(i)],
  },
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// "2026-04-10" as "10/04/2026", whatever the browser's locale.
function date(iso) {
  const m = String(iso || "").match(/^(\d{4})-(\d{2})-(\d{2})/);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

function status(item) {
  if (item.status !== "revoked") return h("span", { class: "badge awarded" }, "Còn hiệu lực");
  const r = item.revocation || {};
  return [h("span", { class: "badge revoked" }, "Đã thu hồi"),
    r.number || r.decided_on
      ? h("div", { class: "muted" }, `QĐ ${r.number || "…"} ngày ${date(r.decided_on)}`) : ""];
}

function pdf(item) {
  return h("a", { href: item.document, target: "_blank", rel: "noopener",
    title: "Quyết định có chữ ký số (PDF)" }, "PDF");
}

const state = { register: "awards", offset: 0, filters: {} };
const $ = (id) => document.getElementById(id);

function query(extra = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...state.filters, ...extra })) {
    if (v !== "" && v !== undefined && v !== null) params.set(k, v);
  }
  return params.toString();
}

async function fetchJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.title || `Lỗi ${response.status}`);
  return body;
}

async function show() {
  const register = REGISTERS[state.register];
  $("title").textContent = register.title;
  for (const name of Object.keys(REGISTERS)) {
    $(`tab-${name}`).classList.toggle("active", name === state.register);
  }
  $("export-csv").href = `${API}/${state.register}.csv?${query()}`;
  $("export-json").href = `${API}/${state.register}.json?${query()}`;
  const table = $("register");
  table.querySelector("thead").replaceChildren(h("tr", {}, register.headings.map((x) => h("th", {}, x))));
  const body = table.querySelector("tbody");
  main().setAttribute("aria-busy", "true");
  try {
    const page = await fetchJson(`${API}/${state.register}?${query({ offset: state.offset, limit: PAGE })}`);
    body.replaceChildren(...page.items.map((item) => h("tr", { class: item.status },
      register.row(item).map((cell) => h("td", {}, cell)))));
    if (!page.items.length) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: register.headings.length, class: "muted" },
        "Không có quyết định nào phù hợp.")));
    }
    const last = Math.min(page.offset + page.items.length, page.total);
    $("summary").textContent = `${page.total} kết quả`;
    $("page").textContent = page.total ? `${page.offset + 1}–${last} / ${page.total}` : "";
    $("previous").disabled = page.offset === 0;
    $("next").disabled = last >= page.total;
  } catch (error) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: register.headings.length, class: "form-error" },
      `Không tải được danh sách: ${error.message}`)));
  } finally {
    main().setAttribute("aria-busy", "false");
    main().setAttribute("data-screen", `public-${state.register}`);
  }
}

const main = () => $("public");

async function unions() {
  try {
    const answer = await fetchJson(`${API}/unions`);
    $("union").append(...answer.items.map((u) => h("option", { value: u.union_id }, u.name)));
  } catch { /* the filter stays "Tất cả" */ }
}

function years() {
  const now = new Date().getFullYear();
  for (let y = now; y >= now - 10; y -= 1) $("year").append(h("option", { value: String(y) }, String(y)));
}

function route() {
  state.register = location.hash === "#initiatives" ? "initiatives" : "awards";
  state.offset = 0;
  show();
}

document.addEventListener("DOMContentLoaded", () => {
  years();
  unions();
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    state.filters = { q: data.get("q").trim(), year: data.get("year"), union_id: data.get("union_id") };
    state.offset = 0;
    show();
  });
  $("previous").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); show(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; show(); });
  window.addEventListener("hashchange", route);
  route();
});
