// The registry's own records, kept by administrators (R1.1–R1.5): unions founded, renamed,
// moved, merged, split and dissolved; their committees' terms, departments and teams with who
// holds which position; people, their memberships, transfers and official status.
import { get, getPage } from "../api.js";
import { h } from "../ui.js";
import { L, POSITIONS, commandForm, facts, listCard, options, vnDate } from "./kit.js";

const LEVELS = [["confederation", { vi: "Tổng Liên đoàn", en: "Confederation" }],
  ["provincial_federation", { vi: "Liên đoàn Lao động tỉnh", en: "Provincial federation" }],
  ["direct_superior", { vi: "Công đoàn cấp trên trực tiếp cơ sở", en: "Direct-superior union" }],
  ["grassroots", { vi: "Công đoàn cơ sở", en: "Grassroots union" }]];
const BODY_KINDS = [["executive_committee", { vi: "Ban Chấp hành", en: "Executive committee" }],
  ["standing_committee", { vi: "Ban Thường vụ", en: "Standing committee" }],
  ["department", { vi: "Ban chuyên môn", en: "Department" }],
  ["idea_incubation_team", { vi: "Tổ ươm mầm ý tưởng", en: "Idea incubation team" }],
  ["initiative_support_team", { vi: "Tổ hỗ trợ sáng kiến", en: "Initiative support team" }]];
const DEPARTMENTS = [["policy_law", { vi: "Ban Chính sách – Pháp luật", en: "Policy–Law department" }]];
const POSITIONS_OF = { executive_committee: ["chairman", "vice_chairman", "member"],
  standing_committee: ["chairman", "vice_chairman", "member"], department: ["head", "deputy_head", "member"],
  idea_incubation_team: ["leader", "member"], initiative_support_team: ["leader", "member"] };
const STATUS = { active: { vi: "Đang hoạt động", en: "Active" }, merged: { vi: "Đã hợp nhất, sáp nhập", en: "Merged" },
  split: { vi: "Đã chia tách", en: "Split" }, dissolved: { vi: "Đã giải thể", en: "Dissolved" } };
const GENDERS = [["female", { vi: "Nữ", en: "Female" }], ["male", { vi: "Nam", en: "Male" }], ["other", { vi: "Khác", en: "Other" }]];
const END_REASONS = [["term_ended", { vi: "Hết nhiệm kỳ", en: "Term ended" }], ["dissolved", { vi: "Giải thể", en: "Dissolved" }],
  ["reorganised", { vi: "Kiện toàn, sắp xếp lại", en: "Reorganised" }]];
const label = (pairs, code) => L((pairs.find(([c]) => c === code) || [])[1] || code);
const EFFECTIVE = { vi: "Ngày có hiệu lực", en: "Effective on" };

// Every union of the tree, depth first, each with its depth (for indented lists and selects).
async function allUnions() {
  const out = [];
  const walk = (nodes, depth) => {
    for (const n of nodes) { out.push({ ...n, depth }); walk(n.children || [], depth + 1); }
  };
  walk(await get("registry", "tree", {}), 0);
  return out;
}

const unionOptions = (unions, blank) => options(unions.map((u) => [u.id, `${"— ".repeat(u.depth)}${u.name} (${u.code})`]), blank);

// --- unions (R1.1, R1.5) -----------------------------------------------------------------------

async function unionsScreen(shell) {
  const unions = await allUnions();
  shell.page(L({ vi: "Đơn vị công đoàn", en: "Unions" }),
    h("div", { class: "grid" },
      h("div", { class: "card", id: "tree" }, h("h2", {}, L({ vi: "Hệ thống tổ chức", en: "The union tree" })),
        unions.length ? h("ul", { style: "list-style:none;padding:0;margin:0" }, unions.map((u) => h("li", {
          style: `margin-left:${u.depth * 1.2}rem;padding:.15rem 0 .15rem .5rem;${u.depth ? "border-left:2px dotted #b9b2bf" : ""}` },
          h("a", { href: `#/union/${u.id}` }, u.name), h("span", { class: "muted" }, ` · ${u.code} · ${label(LEVELS, u.level)}`))))
          : h("p", { class: "muted" }, L({ vi: "Chưa có đơn vị nào.", en: "No union yet." }))),
      commandForm({ id: "found-union", title: { vi: "Thành lập đơn vị công đoàn", en: "Found a union" },
        service: "registry", command: "found-union", done: (id) => { location.hash = `#/union/${id}`; }, fields: [
          { name: "code", label: { vi: "Mã đơn vị", en: "Code" } },
          { name: "name", label: { vi: "Tên đơn vị", en: "Name" } },
          { name: "level", label: { vi: "Cấp", en: "Level" }, options: options(LEVELS) },
          { name: "parent_id", label: { vi: "Trực thuộc", en: "Under" }, options: unionOptions(unions, { vi: "— Không (cấp cao nhất) —", en: "— None (top) —" }) },
          { name: "founded_on", label: { vi: "Ngày thành lập", en: "Founded on" }, type: "date" }] })));
}

async function unionScreen(shell, id) {
  const [u, history, bodies, members, unions] = await Promise.all([
    get("registry", "get-union", { union_id: id }), get("registry", "union-history", { union_id: id }),
    get("registry", "bodies", { union_id: id }).catch(() => []),
    getPage("registry", "members", { union_id: id, limit: 200 }).catch(() => ({ items: [], total: 0 })), allUnions()]);
  const refresh = () => unionScreen(shell, id);
  const name = (uid) => (unions.find((x) => x.id === uid) || {}).name || "";
  const active = u.status === "active";
  const others = unions.filter((x) => x.id !== id && x.status === "active");
  const sameLevel = others.filter((x) => x.level === u.level);
  const children = unions.filter((x) => x.parent_id === id && x.status === "active");
  const part = (n) => L({ vi: `Đơn vị mới ${n}`, en: `New union ${n}` });
  const splitRows = [...members.items.map((p) => ["members", p.id, p.full_name]), ...children.map((c) => ["children", c.id, c.name])];
  shell.page(`${u.name} (${u.code})`,
    facts(null, [[{ vi: "Cấp", en: "Level" }, label(LEVELS, u.level)], [{ vi: "Tình trạng", en: "Status" }, L(STATUS[u.status] || u.status)],
      [{ vi: "Trực thuộc", en: "Under" }, u.parent_id ? h("a", { href: `#/union/${u.parent_id}` }, name(u.parent_id)) : "—"],
      [{ vi: "Ngày thành lập", en: "Founded on" }, vnDate(u.founded_on)]], { id: "union" }),
    listCard("history", { vi: "Quá trình tổ chức", en: "History" },
      [{ vi: "Từ ngày", en: "From" }, { vi: "Đến ngày", en: "To" }, { vi: "Tên", en: "Name" }, { vi: "Trực thuộc", en: "Under" }, { vi: "Tình trạng", en: "Status" }],
      history.periods.map((p) => [vnDate(p.valid_from), vnDate(p.valid_to || ""), p.name, name(p.parent_id), L(STATUS[p.status] || p.status)])),
    listCard("bodies", { vi: "Ban Chấp hành, Ban Thường vụ, các ban và tổ", en: "Committees, departments and teams" },
      [{ vi: "Tên", en: "Name" }, { vi: "Loại", en: "Kind" }, { vi: "Nhiệm kỳ", en: "Term" }, { vi: "Thành viên", en: "Members" }],
      bodies.map((b) => [h("a", { href: `#/body/${b.id}` }, b.name), label(BODY_KINDS, b.kind),
        `${vnDate(b.term_start)} – ${vnDate(b.term_end || "")}`, (b.members || []).map((m) => m.full_name).join(", ")])),
    listCard("members", { vi: `Đoàn viên (${members.total})`, en: `Members (${members.total})` },
      [{ vi: "Mã", en: "Code" }, { vi: "Họ và tên", en: "Full name" }, { vi: "Từ ngày", en: "Since" }],
      members.items.map((p) => [p.code, h("a", { href: `#/person/${p.id}` }, p.full_name), vnDate(p.member_since)])),
    active ? h("div", { class: "grid" },
      commandForm({ id: "constitute-body", title: { vi: "Thành lập Ban Chấp hành, Ban Thường vụ, ban, tổ (nhiệm kỳ mới)", en: "Constitute a body (new term)" },
        service: "registry", command: "constitute-body", fixed: { union_id: id },
        shape: (data) => ({ ...data, decision: data.decision && (data.decision.number || data.decision.signed_on) ? data.decision : undefined }),
        done: (bodyId) => { location.hash = `#/body/${bodyId}`; }, fields: [
          { name: "kind", label: { vi: "Loại", en: "Kind" }, options: options(BODY_KINDS) },
          { name: "name", label: { vi: "Tên", en: "Name" } },
          { name: "department", label: { vi: "Ban chuyên môn (nếu là ban)", en: "Department (if one)" }, options: options(DEPARTMENTS, { vi: "—", en: "—" }) },
          { name: "term_start", label: { vi: "Bắt đầu nhiệm kỳ", en: "Term starts" }, type: "date" },
          { name: "term_end", label: { vi: "Kết thúc nhiệm kỳ", en: "Term ends" }, type: "date", value: "" },
          { name: "decision.number", label: { vi: "Số quyết định thành lập, công nhận", en: "Decision number" } },
          { name: "decision.signed_on", label: { vi: "Ngày ký quyết định", en: "Decision signed on" }, type: "date", value: "" }] }),
      commandForm({ id: "rename-union", title: { vi: "Đổi tên đơn vị", en: "Rename" }, service: "registry", command: "rename-union",
        fixed: { union_id: id }, done: refresh, fields: [
          { name: "name", label: { vi: "Tên mới", en: "New name" }, value: u.name },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      commandForm({ id: "move-union", title: { vi: "Chuyển về trực thuộc đơn vị khác", en: "Move under another union" },
        service: "registry", command: "move-union", fixed: { union_id: id }, done: refresh, fields: [
          { name: "parent_id", label: { vi: "Đơn vị cấp trên mới", en: "New parent" }, options: unionOptions(others) },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      commandForm({ id: "merge-unions", title: { vi: "Hợp nhất, sáp nhập", en: "Merge" }, service: "registry", command: "merge-unions",
        shape: (data) => {
          const out = { union_ids: [id, ...data.union_ids], effective_on: data.effective_on };
          if (data.into_union_id) out.into_union_id = data.into_union_id;
          else out.new_union = { code: (data.new_union || {}).code, name: (data.new_union || {}).name };
          return out;
        }, done: (result) => { location.hash = `#/union/${result}`; }, fields: [
          { name: "union_ids", label: { vi: "Cùng hợp nhất với", en: "Merged with" },
            checks: sameLevel.map((x) => [x.id, `${x.name} (${x.code})`, false]) },
          { name: "into_union_id", label: { vi: "Sáp nhập vào đơn vị (để trống nếu lập đơn vị mới)", en: "Into (empty for a new union)" },
            options: unionOptions(sameLevel, { vi: "— Lập đơn vị mới —", en: "— A new union —" }) },
          { name: "new_union.code", label: { vi: "Mã đơn vị mới", en: "New union's code" } },
          { name: "new_union.name", label: { vi: "Tên đơn vị mới", en: "New union's name" } },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      commandForm({ id: "split-union", title: { vi: "Chia tách thành hai đơn vị", en: "Split in two" }, service: "registry", command: "split-union",
        shape: (data, v) => {
          const parts = [1, 2].map((n) => ({ code: v[`part${n}.code`], name: v[`part${n}.name`], members: [], children: [] }));
          for (const [key, rid] of splitRows) parts[Number(v[`to.${rid}`] || 1) - 1][key].push(rid);
          return { union_id: id, effective_on: data.effective_on, parts };
        }, done: refresh, fields: [
          ...[1, 2].flatMap((n) => [{ name: `part${n}.code`, label: `${part(n)}: ${L({ vi: "mã", en: "code" })}`, skip: true },
            { name: `part${n}.name`, label: `${part(n)}: ${L({ vi: "tên", en: "name" })}`, skip: true }]),
          h("div", { class: "row", "data-field": "parts" }, h("label", {}, L({ vi: "Đoàn viên và đơn vị trực thuộc chuyển về", en: "Members and unions go to" })),
            splitRows.map(([, rid, text]) => h("div", { class: "actions" }, h("span", { style: "min-width:12rem" }, text),
              h("select", { name: `to.${rid}`, "aria-label": text }, [1, 2].map((n) => h("option", { value: n }, part(n)))))),
            h("div", { class: "field-error", role: "alert" })),
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      commandForm({ id: "dissolve-union", title: { vi: "Giải thể đơn vị", en: "Dissolve" }, service: "registry", command: "dissolve-union",
        fixed: { union_id: id }, done: refresh, button: { vi: "Giải thể", en: "Dissolve" }, fields: [
          { name: "effective_on", label: EFFECTIVE, type: "date" }] })) : null);
}

// --- bodies and teams (R1.2, R1.4) -------------------------------------------------------------

async function bodyScreen(shell, id) {
  const body = await get("registry", "get-body", { body_id: id });
  const [current, members] = await Promise.all([get("registry", "bodies", { union_id: body.union_id }).catch(() => []),
    getPage("registry", "members", { union_id: body.union_id, limit: 200 }).catch(() => ({ items: [], total: 0 }))]);
  const seats = ((current.find((b) => b.id === id) || {}).members) || [];
  const refresh = () => bodyScreen(shell, id);
  const positions = (POSITIONS_OF[body.kind] || ["member"]).map((p) => [p, POSITIONS[p]]);
  const people = new Map(members.items.map((p) => [p.id, p.full_name]));
  const search = h("div", { class: "row" }, h("label", { for: "f-find-person" }, L({ vi: "Tìm người ngoài danh sách đoàn viên", en: "Find someone else" })),
    h("div", { class: "actions" }, h("input", { id: "f-find-person", "aria-label": L({ vi: "Họ tên hoặc mã", en: "Name or code" }) }),
      h("button", { type: "button", class: "secondary", onclick: async (e) => {
        const q = document.getElementById("f-find-person").value.trim();
        if (!q) return;
        const found = await get("registry", "search-people", { q });
        const select = e.target.closest("form").querySelector("select[name=person_id]");
        for (const p of found) if (!people.has(p.id)) { people.set(p.id, p.full_name); select.append(h("option", { value: p.id }, `${p.full_name} (${p.code})`)); }
        if (found.length) select.value = found[0].id;
      } }, L({ vi: "Tìm", en: "Find" }))));
  shell.page(`${body.name} — ${await shell.unionName(body.union_id)}`,
    facts(null, [[{ vi: "Loại", en: "Kind" }, label(BODY_KINDS, body.kind)],
      body.department ? [{ vi: "Ban", en: "Department" }, label(DEPARTMENTS, body.department)] : null,
      [{ vi: "Nhiệm kỳ", en: "Term" }, `${vnDate(body.term_start)} – ${vnDate(body.term_end || "")}`],
      body.ended_on ? [{ vi: "Kết thúc ngày", en: "Ended on" }, vnDate(body.ended_on)] : null,
      body.decision ? [{ vi: "Quyết định", en: "Decision" }, `${body.decision.number} (${vnDate(body.decision.signed_on)})`] : null,
      [{ vi: "Đơn vị", en: "Union" }, h("a", { href: `#/union/${body.union_id}` }, await shell.unionName(body.union_id))]], { id: "body" }),
    listCard("seats", { vi: "Thành viên", en: "Members" },
      [{ vi: "Họ và tên", en: "Full name" }, { vi: "Chức vụ", en: "Position" }, { vi: "Từ ngày", en: "Since" }],
      seats.map((m) => [h("a", { href: `#/person/${m.person_id}` }, m.full_name), L(POSITIONS[m.position] || m.position), vnDate(m.since)])),
    body.ended_on ? null : h("div", { class: "grid" },
      commandForm({ id: "appoint", title: { vi: "Bổ nhiệm, phân công", en: "Appoint" }, service: "registry", command: "appoint",
        fixed: { body_id: id }, done: refresh, fields: [
          { name: "person_id", label: { vi: "Người được phân công", en: "Person" }, options: options([...people].map(([pid, n]) => [pid, n])) },
          search,
          { name: "position", label: { vi: "Chức vụ", en: "Position" }, options: options(positions) },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      seats.length ? commandForm({ id: "relieve", title: { vi: "Thôi giữ chức vụ", en: "Relieve" }, service: "registry", command: "relieve",
        fixed: { body_id: id }, done: refresh, fields: [
          { name: "person_id", label: { vi: "Người thôi giữ chức vụ", en: "Person" }, options: options(seats.map((m) => [m.person_id, m.full_name])) },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] }) : null,
      commandForm({ id: "end-body", title: { vi: "Kết thúc nhiệm kỳ, giải thể ban, tổ", en: "End the term" }, service: "registry", command: "end-body",
        fixed: { body_id: id }, done: refresh, fields: [
          { name: "effective_on", label: EFFECTIVE, type: "date" },
          { name: "reason", label: { vi: "Lý do", en: "Reason" }, options: options(END_REASONS, null) }] })));
}

// --- people (R1.3) -----------------------------------------------------------------------------

async function peopleScreen(shell, q) {
  const [unions, found] = await Promise.all([allUnions(), q ? get("registry", "search-people", { q: decodeURIComponent(q), limit: 50 }) : []]);
  const active = unions.filter((u) => u.status === "active");
  shell.page(L({ vi: "Đoàn viên, cán bộ công đoàn", en: "Members and officials" }),
    h("div", { class: "grid" },
      h("div", {},
        h("form", { class: "card", id: "find-people", "data-lookup": true, onsubmit: (e) => {
          e.preventDefault();
          location.hash = `#/people/${encodeURIComponent(e.target.elements.q.value.trim())}`;
        } }, h("h2", {}, L({ vi: "Tìm đoàn viên, cán bộ", en: "Find a person" })),
        h("div", { class: "row" }, h("label", { for: "f-q" }, L({ vi: "Họ tên hoặc mã", en: "Name or code" })),
          h("input", { id: "f-q", name: "q", value: q ? decodeURIComponent(q) : "" })),
        h("div", { class: "actions" }, h("button", { type: "submit" }, L({ vi: "Tìm", en: "Find" })))),
        q ? listCard("people-found", { vi: "Kết quả", en: "Found" }, [{ vi: "Mã", en: "Code" }, { vi: "Họ và tên", en: "Full name" }],
          found.map((p) => [p.code, h("a", { href: `#/person/${p.id}` }, p.full_name)])) : null),
      commandForm({ id: "register-person", title: { vi: "Thêm đoàn viên, cán bộ", en: "Register a person" },
        service: "registry", command: "register-person", done: (id) => { location.hash = `#/person/${id}`; }, fields: [
          { name: "code", label: { vi: "Mã số", en: "Code" } },
          { name: "full_name", label: { vi: "Họ và tên", en: "Full name" } },
          { name: "birth_date", label: { vi: "Ngày sinh", en: "Birth date" }, type: "date", value: "" },
          { name: "gender", label: { vi: "Giới tính", en: "Gender" }, options: options(GENDERS, { vi: "—", en: "—" }) },
          { name: "union_id", label: { vi: "Sinh hoạt tại công đoàn", en: "Member of" }, options: unionOptions(active, { vi: "— Chưa là đoàn viên —", en: "— None —" }) },
          { name: "registered_on", label: { vi: "Ngày kết nạp, ghi nhận", en: "Registered on" }, type: "date" },
          { name: "is_official", label: { vi: "Cán bộ công đoàn", en: "Union official" }, bool: true, text: { vi: "Là cán bộ công đoàn", en: "Is a union official" } },
          { name: "is_full_time", label: { vi: "Chuyên trách", en: "Full-time" }, bool: true, text: { vi: "Cán bộ chuyên trách", en: "Full-time official" } }] })));
}

async function personScreen(shell, id) {
  const [p, positions, unions] = await Promise.all([get("registry", "get-person", { person_id: id }),
    get("registry", "held-positions", { person_id: id }).catch(() => []), allUnions()]);
  const refresh = () => personScreen(shell, id);
  const name = (uid) => (unions.find((x) => x.id === uid) || {}).name || "";
  const active = unions.filter((u) => u.status === "active");
  const member = Boolean(p.union_id);
  shell.page(`${p.full_name} (${p.code})`,
    facts(null, [[{ vi: "Ngày sinh", en: "Born" }, vnDate(p.birth_date || "")], [{ vi: "Giới tính", en: "Gender" }, p.gender ? label(GENDERS, p.gender) : ""],
      [{ vi: "Cán bộ công đoàn", en: "Union official" }, L(p.is_official ? (p.is_full_time ? { vi: "Chuyên trách", en: "Full-time" } : { vi: "Không chuyên trách", en: "Part-time" }) : { vi: "Không", en: "No" })],
      [{ vi: "Đang sinh hoạt tại", en: "Member of" }, member ? h("a", { href: `#/union/${p.union_id}` }, name(p.union_id)) : "—"]], { id: "person" }),
    listCard("memberships", { vi: "Quá trình sinh hoạt công đoàn", en: "Memberships" },
      [{ vi: "Công đoàn", en: "Union" }, { vi: "Từ ngày", en: "From" }, { vi: "Đến ngày", en: "To" }],
      (p.memberships || []).map((m) => [name(m.union_id), vnDate(m.valid_from), vnDate(m.valid_to || "")])),
    listCard("positions", { vi: "Chức vụ", en: "Positions" },
      [{ vi: "Ban, tổ", en: "Body" }, { vi: "Đơn vị", en: "Union" }, { vi: "Chức vụ", en: "Position" }, { vi: "Từ ngày", en: "Since" }],
      positions.map((x) => [h("a", { href: `#/body/${x.body.id}` }, x.body.name), name(x.body.union_id),
        L(POSITIONS[x.position] || x.position), vnDate(x.since)])),
    h("div", { class: "grid" },
      member ? commandForm({ id: "transfer", title: { vi: "Chuyển sinh hoạt công đoàn", en: "Transfer" }, service: "registry", command: "transfer-person",
        fixed: { person_id: id }, done: refresh, fields: [
          { name: "union_id", label: { vi: "Chuyển đến công đoàn", en: "To" }, options: unionOptions(active.filter((u) => u.id !== p.union_id)) },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] })
        : commandForm({ id: "join", title: { vi: "Kết nạp vào công đoàn", en: "Join a union" }, service: "registry", command: "join-union",
          fixed: { person_id: id }, done: refresh, fields: [
            { name: "union_id", label: { vi: "Công đoàn", en: "Union" }, options: unionOptions(active) },
            { name: "effective_on", label: EFFECTIVE, type: "date" }] }),
      member ? commandForm({ id: "leave", title: { vi: "Thôi sinh hoạt công đoàn", en: "Leave the union" }, service: "registry", command: "leave-union",
        fixed: { person_id: id }, done: refresh, fields: [{ name: "effective_on", label: EFFECTIVE, type: "date" }] }) : null,
      commandForm({ id: "official-status", title: { vi: "Cán bộ công đoàn", en: "Official status" }, service: "registry", command: "set-official-status",
        fixed: { person_id: id }, done: refresh, fields: [
          { name: "is_official", label: { vi: "Cán bộ công đoàn", en: "Union official" }, bool: true, value: p.is_official, text: { vi: "Là cán bộ công đoàn", en: "Is a union official" } },
          { name: "is_full_time", label: { vi: "Chuyên trách", en: "Full-time" }, bool: true, value: p.is_full_time, text: { vi: "Cán bộ chuyên trách", en: "Full-time official" } },
          { name: "effective_on", label: EFFECTIVE, type: "date" }] })));
}

export function register(shell) {
  const admin = () => shell.role() === "administrator";
  shell.route(/^#\/unions$/, () => unionsScreen(shell));
  shell.route(/^#\/union\/([\w-]+)$/, (id) => unionScreen(shell, id));
  shell.route(/^#\/body\/([\w-]+)$/, (id) => bodyScreen(shell, id));
  shell.route(/^#\/people(?:\/([^/]*))?$/, (q) => peopleScreen(shell, q));
  shell.route(/^#\/person\/([\w-]+)$/, (id) => personScreen(shell, id));
  shell.menuItem("#/unions", { vi: "Đơn vị công đoàn", en: "Unions" }, admin);
  shell.menuItem("#/people", { vi: "Đoàn viên, cán bộ", en: "People" }, admin);
}
