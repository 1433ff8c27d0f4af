// Users and their roles (R5.2): an administrator lists and searches the users of his scope,
// makes one, grants and takes away roles over a union's subtree, disables and enables an
// account and resets a password (the one-time password is shown once); every signed-in
// person changes their own password, and must do so first after a reset.
import { ApiError, get, request, token } from "../api.js";
import { language } from "../i18n.js";
import { field, form, h, showError, table } from "../ui.js";

const WORDS = {
  vi: {
    users: "Người dùng", search: "Tìm người dùng", searchHint: "Tên đăng nhập hoặc họ tên",
    find: "Tìm", nameHint: "Họ và tên", username: "Tên đăng nhập", person: "Đoàn viên, cán bộ", roles: "Vai trò",
    state: "Tình trạng", active: "Đang hoạt động", disabled: "Đã khoá",
    mustChange: "Chưa đổi mật khẩu dùng một lần", none: "Không có người dùng nào.",
    total: "Tổng số", newUser: "Tạo người dùng", password: "Mật khẩu (10 đến 200 ký tự)",
    role: "Vai trò", roleWhere: "Vai trò — tại công đoàn", union: "Công đoàn (và các công đoàn cấp dưới)", wholeSystem: "Toàn hệ thống",
    personSearch: "Gắn với đoàn viên, cán bộ (tìm theo họ tên)", choose: "— Chọn —",
    noPerson: "— Không gắn —", create: "Tạo", grant: "Giao vai trò", grantIt: "Giao",
    remove: "Thu hồi", disable: "Khoá tài khoản", enable: "Mở khoá tài khoản",
    reset: "Đặt lại mật khẩu", account: "Tài khoản",
    confirmDisable: "Khoá tài khoản này? Người dùng sẽ bị đăng xuất ngay.",
    confirmReset: "Đặt lại mật khẩu của tài khoản này? Mật khẩu cũ sẽ không dùng được nữa.",
    confirmRemove: "Thu hồi vai trò này?",
    oneTime: "Mật khẩu dùng một lần", oneTimeNote: "Chỉ hiển thị một lần. Hãy trao tận tay "
      + "người dùng; họ phải đổi mật khẩu ở lần đăng nhập đầu tiên.",
    changePassword: "Đổi mật khẩu", current: "Mật khẩu hiện tại",
    newPassword: "Mật khẩu mới (10 đến 200 ký tự)", again: "Nhập lại mật khẩu mới",
    mismatch: "Mật khẩu nhập lại không khớp.", changed: "Đã đổi mật khẩu.",
    forced: "Quản trị viên đã đặt lại mật khẩu của bạn. Hãy chọn mật khẩu mới trước khi tiếp tục.",
    back: "← Danh sách người dùng", pickUnion: "Hãy chọn công đoàn.",
    roleOf: { member: "Đoàn viên", official: "Cán bộ công đoàn", executive: "Ban Chấp hành",
      standing: "Ban Thường vụ", auditor: "Ủy ban Kiểm tra", administrator: "Quản trị viên" },
  },
  en: {
    users: "Users", search: "Find users", searchHint: "User name or full name", find: "Find",
    nameHint: "Full name", username: "User name", person: "Member or official", roles: "Roles", state: "State",
    active: "Active", disabled: "Disabled", mustChange: "One-time password not yet changed",
    none: "No users.", total: "Total", newUser: "Make a user",
    password: "Password (10 to 200 characters)", role: "Role", roleWhere: "Role — over the union",
    union: "Union (and the unions under it)", wholeSystem: "Whole system",
    personSearch: "Linked to a member or official (search by name)", choose: "— Choose —",
    noPerson: "— None —", create: "Make", grant: "Grant a role", grantIt: "Grant",
    remove: "Take away", disable: "Disable the account", enable: "Enable the account",
    reset: "Reset the password", account: "Account",
    confirmDisable: "Disable this account? The user is signed out at once.",
    confirmReset: "Reset this account's password? The old one stops working.",
    confirmRemove: "Take this role away?",
    oneTime: "One-time password", oneTimeNote: "Shown only once. Hand it to the user in "
      + "person; they must change it at their first sign-in.",
    changePassword: "Change password", current: "Current password",
    newPassword: "New password (10 to 200 characters)", again: "New password again",
    mismatch: "The two new passwords differ.", changed: "Password changed.",
    forced: "An administrator reset your password. Choose a new one before going on.",
    back: "← Users", pickUnion: "Choose a union.",
    roleOf: { member: "Member", official: "Union official", executive: "Executive committee",
      standing: "Standing committee", auditor: "Inspection committee", administrator: "Administrator" },
  },
};
const ROLES = ["member", "official", "executive", "standing", "auditor", "administrator"];

function w(key) {
  const words = WORDS[language()];
  return key.split(".").reduce((v, part) => (v == null ? undefined : v[part]), words) ?? key;
}

let shell = null;
const path = (username) => `/v1/users/${encodeURIComponent(username)}`;
const administrator = () => Boolean(shell.ctx.me && shell.ctx.me.roles.some((g) => g.role === "administrator"));

// --- pieces -------------------------------------------------------------------------------

async function roleText(grant) {
  const where = grant.union_id ? await shell.unionName(grant.union_id) : w("wholeSystem");
  return `${w(`roleOf.${grant.role}`)} — ${where}`;
}

function stateBadges(user) {
  return [h("span", { class: `badge ${user.disabled ? "revoked" : "ok"}`, "data-state": user.disabled ? "disabled" : "active" },
    user.disabled ? w("disabled") : w("active")),
  user.must_change_password ? [" ", h("span", { class: "badge due", "data-state": "must-change" }, w("mustChange"))] : null];
}

// The unions an administrator may grant roles over: each administrator grant's union and
// its subtree, or the whole tree (and "whole system") for a system-wide one.
async function scopeUnions() {
  const grants = shell.ctx.me.roles.filter((g) => g.role === "administrator");
  const found = new Map();
  let everywhere = false;
  const flat = (nodes) => nodes.flatMap((n) => [n, ...flat(n.children || [])]);
  for (const g of grants) {
    if (g.union_id === null) {
      everywhere = true;
      for (const u of flat(await get("registry", "tree", {}))) found.set(u.id, u);
    } else {
      found.set(g.union_id, await shell.union(g.union_id));
      for (const u of await get("registry", "descendants", { union_id: g.union_id })) found.set(u.id, u);
    }
  }
  // drawn as the tree: each union under its parent, indented
  const children = new Map();
  for (const u of found.values()) {
    if (!u || !u.id) continue;
    shell.ctx.unions.set(u.id, u);
    const parent = found.has(u.parent_id) ? u.parent_id : null;
    children.set(parent, [...(children.get(parent) || []), u]);
  }
  const options = [];
  const walk = (parent, depth) => {
    for (const u of (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name, "vi"))) {
      options.push([u.id, `${"\u00a0\u00a0\u00a0".repeat(depth)}${u.name}`]);
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return [...(everywhere ? [["", w("wholeSystem")]] : []), ...options];
}

function grantFields(unions) {
  return [field("role", w("role"), { type: "select", options: [["", w("choose")], ...ROLES.map((r) => [r, w(`roleOf.${r}`)])] }),
    field("union_id", w("union"), { type: "select", value: "-", options: [["-", w("choose")], ...unions] })];
}

// "" is the whole system (offered to a system-wide administrator only); "-" is no choice yet
function grantBody(v) {
  if (v.union_id === "-") {
    throw new ApiError(422, { title: w("pickUnion"), code: "UNION_REQUIRED", details: { field: "union_id" } });
  }
  return { role: v.role, union_id: v.union_id === "" ? null : v.union_id };
}

// --- the list -----------------------------------------------------------------------------

async function usersScreen(query = "") {
  const q = decodeURIComponent(query || "");
  const answer = await request("GET", `/v1/users?${new URLSearchParams({ q, limit: 200 })}`);
  const rows = await Promise.all(answer.items.map(async (u) => [
    h("a", { href: `#/user/${encodeURIComponent(u.username)}`, "data-user": u.username }, h("code", {}, u.username)),  // a login name: an identifier, not text
    u.person_id ? await shell.personName(u.person_id) : "—",
    h("div", {}, await Promise.all(u.roles.map(async (g) => h("div", {}, await roleText(g))))),
    stateBadges(u)]));
  const search = h("form", { class: "actions", role: "search", id: "user-search", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/users/${encodeURIComponent(e.target.elements.q.value.trim())}`;
  } }, h("input", { name: "q", type: "search", value: q, placeholder: w("searchHint"), "aria-label": w("search"),
    style: "max-width:22rem" }), h("button", { type: "submit" }, w("find")));
  shell.page(w("users"), search,
    h("div", { class: "card", id: "users" }, h("p", { class: "muted" }, `${w("total")}: ${answer.total}`),
      table([w("username"), w("person"), w("roles"), w("state")], rows, w("none"))),
    await newUserForm());
}

async function newUserForm() {
  const unions = await scopeUnions();
  const people = h("select", { name: "person_id", id: "f-person_id", "aria-label": w("person") },
    h("option", { value: "" }, w("noPerson")));
  const lookup = h("input", { type: "search", id: "f-person-q", placeholder: w("nameHint"), style: "max-width:22rem" });
  const findPeople = async () => {
    const found = lookup.value.trim() ? await get("registry", "search-people", { q: lookup.value.trim(), limit: 20 }) : [];
    people.replaceChildren(h("option", { value: "" }, w("noPerson")),
      ...found.map((p) => h("option", { value: p.id }, p.full_name)));
    if (found.length) people.value = found[0].id;
  };
  return form(w("newUser"), [
    field("username", w("username"), { autocomplete: "off" }),
    field("password", w("password"), { type: "password", autocomplete: "new-password" }),
    ...grantFields(unions),
    h("div", { class: "row", "data-field": "person_id" }, h("label", { for: "f-person-q" }, w("personSearch")),
      h("div", { class: "actions" }, lookup, h("button", { type: "button", class: "secondary", onclick: findPeople }, w("find"))),
      people, h("div", { class: "field-error", role: "alert" }))],
  async (v) => {
    const grant = grantBody(v);
    const made = (await request("POST", "/v1/users", { username: v.username, password: v.password,
      person_id: v.person_id || null, roles: [grant] })).result;
    location.hash = `#/user/${encodeURIComponent(made.username)}`;
  }, { button: w("create"), id: "new-user" });
}

// --- one user -----------------------------------------------------------------------------

async function userScreen(username) {
  const name = decodeURIComponent(username);
  const user = (await request("GET", path(name))).result;
  const self = user.username === shell.ctx.me.username;
  const message = h("div", { class: "form-message", id: "user-message" });
  const act = (work) => async () => {
    message.replaceChildren();
    try { await work(); } catch (error) { showError(h("div"), message, error); }
  };
  const roles = await Promise.all(user.roles.map(async (g) => [await roleText(g),
    h("button", { class: "secondary", "data-remove": `${g.role}:${g.union_id || ""}`, onclick: act(async () => {
      if (!window.confirm(w("confirmRemove"))) return;
      const q = new URLSearchParams({ role: g.role, ...(g.union_id ? { union_id: g.union_id } : {}) });
      await request("DELETE", `${path(name)}/roles?${q}`);
      await userScreen(username);
    }) }, w("remove"))]));
  const toggle = user.disabled
    ? h("button", { id: "enable", onclick: act(async () => {
      await request("POST", `${path(name)}/enable`);
      await userScreen(username);
    }) }, w("enable"))
    : self ? null : h("button", { id: "disable", style: "background:#b3261e", onclick: act(async () => {
      if (!window.confirm(w("confirmDisable"))) return;
      await request("POST", `${path(name)}/disable`);
      await userScreen(username);
    }) }, w("disable"));
  const reset = h("button", { id: "reset-password", class: "secondary", onclick: act(async () => {
    if (!window.confirm(w("confirmReset"))) return;
    const answer = (await request("POST", `${path(name)}/reset-password`)).result;
    await userScreen(username);
    // shown once: it is in no list and cannot be read again
    document.getElementById("user-message").replaceChildren(h("div", { class: "card one-time", role: "status" },
      h("b", {}, `${w("oneTime")}: `), h("code", { id: "one-time-password", style: "font-size:1.2rem" }, answer.one_time_password),
      h("p", { class: "muted" }, w("oneTimeNote"))));
  }) }, w("reset"));
  const grantForm = form(w("grant"), grantFields(await scopeUnions()), async (v) => {
    await request("POST", `${path(name)}/roles`, grantBody(v));
    await userScreen(username);
  }, { button: w("grantIt"), id: "grant" });
  shell.page([`${w("account")}: `, h("code", {}, user.username)],
    h("p", {}, h("a", { href: "#/users" }, w("back"))),
    message,
    h("div", { class: "card", id: "user" },
      h("p", {}, user.person_id ? `${w("person")}: ${await shell.personName(user.person_id)} · ` : "", stateBadges(user)),
      h("div", { class: "actions" }, toggle, reset)),
    h("div", { class: "card", id: "roles" }, h("h2", {}, w("roles")), table([w("roleWhere"), ""], roles)),
    grantForm);
}

// --- one's own password ---------------------------------------------------------------------

function passwordScreen() {
  const forced = Boolean(shell.ctx.me && shell.ctx.me.must_change_password);
  const f = form(null, [
    field("current_password", w("current"), { type: "password", autocomplete: "current-password" }),
    field("new_password", w("newPassword"), { type: "password", autocomplete: "new-password" }),
    field("confirm", w("again"), { type: "password", autocomplete: "new-password" })],
  async (v) => {
    if (v.new_password !== v.confirm) {  // shown beside the field, like the API's refusals
      throw new ApiError(422, { title: w("mismatch"), code: "PASSWORD_MISMATCH", details: { field: "confirm" } });
    }
    await request("POST", "/v1/me/password", { current_password: v.current_password, new_password: v.new_password });
    // read again who is signed in (and the union, which a refused read may have left blank)
    for (const g of shell.ctx.me.roles) if (g.union_id) shell.ctx.unions.delete(g.union_id);
    shell.ctx.me = null;
    location.hash = "#/";
  }, { button: w("changePassword"), id: "change-password" });
  shell.page(w("changePassword"),
    forced ? h("p", { class: "form-error", role: "alert", id: "forced" }, w("forced")) : null, f);
}

// --- the header link, and the way to it after a reset ---------------------------------------

function headerLink() {
  let link = document.getElementById("password-link");
  if (!link) {
    const logout = document.getElementById("logout");
    if (!logout) return;
    link = h("a", { id: "password-link", href: "#/password" });
    logout.before(link, " ");
  }
  link.textContent = w("changePassword");
  link.hidden = !token();
}

export function register(s) {
  shell = s;
  s.route(/^#\/users$/, () => usersScreen());
  s.route(/^#\/users\/(.*)$/, (q) => usersScreen(q));
  s.route(/^#\/user\/([^/]+)$/, userScreen);
  s.route(/^#\/password$/, passwordScreen);
  s.menuItem("#/users", { vi: WORDS.vi.users, en: WORDS.en.users }, administrator);
  // After a reset, nothing but changing the password (the API refuses the rest anyway).
  s.guard((hash) => {
    headerLink();
    return s.ctx.me && s.ctx.me.must_change_password && hash !== "#/password" ? "#/password" : null;
  });
  window.addEventListener("hashchange", headerLink);
  headerLink();
}
