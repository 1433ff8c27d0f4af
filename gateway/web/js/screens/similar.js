// R3.8, replication made easy: while a union registers an initiative, the ones already
// recognised anywhere in the system that look like it (name and description, diacritics and
// case ignored: the initiatives service's ``similar_recognised``) are shown in a card on the
// registration form, each with a button that adopts it (the ``adopt`` command) instead of
// registering it anew, after a confirmation, then opens the adoption record.
// Not a screen module: app.js's registration screen calls ``similarCard``.
import { getPage, post } from "../api.js";
import { date, h, isoDate, showError, today } from "../ui.js";
import { L } from "./kit.js";

const SCOPES = { grassroots: { vi: "Cơ sở", en: "Grassroots" },
  direct_superior: { vi: "Cấp trên trực tiếp", en: "Direct superior" }, province: { vi: "Tỉnh", en: "Province" } };
const DESCRIPTION = ["objective", "implementation_steps", "expected_effectiveness"];
const WAIT_MS = 400;  // asked once typing pauses, not at every key
const MIN_NAME = 6;  // letters of a name before it is worth comparing
const MAX_DESCRIPTION = 1500;  // of the description, sent in the query string

// The card, attached to the registration form ``formEl`` of ``union``; ``canAdopt`` whether
// the signed-in role may adopt (an executive committee's: the service checks the seat again).
export function similarCard(formEl, { union, canAdopt }) {
  const list = h("div", { class: "similar-list" });
  const card = h("section", { class: "similar", id: "similar", hidden: true, "aria-live": "polite" },
    h("h3", {}, L({ vi: "Sáng kiến tương tự đã được công nhận", en: "Similar initiatives already recognised" })),
    h("p", { class: "muted" }, L({
      vi: "Đơn vị có thể áp dụng một sáng kiến đã được công nhận thay vì đăng ký sáng kiến mới.",
      en: "The union may adopt an initiative already recognised instead of registering a new one." })),
    list);
  const input = (name) => formEl.querySelector(`[name="fields.${name}"]`);
  const nameRow = formEl.querySelector('.row[data-field="fields.name"]');
  if (!nameRow || !input("name")) return card;
  nameRow.after(card);
  let timer = null, asked = 0;
  const ask = async () => {
    const name = input("name").value.trim();
    const description = DESCRIPTION.map((c) => (input(c) ? input(c).value.trim() : "")).filter(Boolean).join("\n")
      .slice(0, MAX_DESCRIPTION);
    const mine = ++asked;
    if (name.replace(/[^\p{L}\p{N}]/gu, "").length < MIN_NAME) { card.hidden = true; return; }
    let page;
    try {
      page = await getPage("initiatives", "similar-recognised", { name, description, union_id: union.id, limit: 5 });
    } catch {
      return;  // a suggestion that fails says nothing: the registration goes on
    }
    if (mine !== asked) return;  // an older answer arriving after a newer question
    const items = page.items;
    list.replaceChildren(...items.map((item) => entry(item, { union, canAdopt, name })));
    card.hidden = !items.length;
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(ask, WAIT_MS); };
  for (const c of ["name", ...DESCRIPTION]) if (input(c)) input(c).addEventListener("input", later);
  return card;
}

function entry(item, { union, canAdopt, name }) {
  const facts = [item.union_name,
    `${L({ vi: "Công nhận năm", en: "Recognised in" })} ${item.year ?? ""} (${date(item.recognised_on)})`,
    `${L({ vi: "Cấp công nhận", en: "Level" })}: ${L(SCOPES[item.scope] || item.scope)}`,
    `${L({ vi: "Mức độ tương tự", en: "Similarity" })}: ${Math.round(item.score * 100)}%`].filter(Boolean);
  const el = h("div", { class: "similar-item", "data-initiative": item.initiative_id },
    h("strong", {}, item.name), h("div", { class: "muted" }, facts.join(" · ")));
  if (item.own) {
    el.append(h("div", { class: "muted" }, L({ vi: "Sáng kiến của chính đơn vị.", en: "The union's own initiative." })));
  } else if (item.adopted) {
    el.append(h("a", { href: `#/replication/${item.initiative_id}` },
      L({ vi: "Đơn vị đã áp dụng sáng kiến này", en: "The union has adopted it" })));
  } else if (canAdopt) {
    const open = h("button", { type: "button", class: "secondary adopt" },
      L({ vi: "Áp dụng sáng kiến này", en: "Adopt this initiative" }));
    open.addEventListener("click", () => { open.hidden = true; el.append(confirmBox(item, { union, name, open })); });
    el.append(h("div", { class: "actions" }, open));
  } else {
    el.append(h("div", { class: "muted" }, L({ vi: "Ban Chấp hành công đoàn cơ sở quyết định áp dụng (mục Nhân rộng).",
      en: "The executive committee decides to adopt it (Replication)." })));
  }
  return el;
}

// The confirmation: the date and reason of the decision to adopt, prefilled; nothing is named
// (``name``) so the registration form's own values never include them.
function confirmBox(item, { union, name, open }) {
  const on = h("input", { type: "text", value: date(today()), placeholder: "dd/mm/yyyy", inputmode: "numeric",
    maxlength: 10, "aria-label": L({ vi: "Ngày quyết định áp dụng", en: "Adopted on" }), class: "adopt-on" });
  const reason = h("input", { type: "text", class: "adopt-reason",
    value: L({ vi: "Áp dụng sáng kiến đã được công nhận thay vì đăng ký sáng kiến mới",
      en: "Adopting a recognised initiative instead of registering a new one" }),
    "aria-label": L({ vi: "Lý do áp dụng", en: "Reason" }) });
  const message = h("div", { class: "form-message" });
  const box = h("div", { class: "similar-confirm", role: "group" },
    h("p", {}, L({ vi: `Đơn vị ${union.name} áp dụng sáng kiến “${item.name}” của ${item.union_name || "đơn vị khác"}, không đăng ký sáng kiến mới?`,
      en: `${union.name} adopts “${item.name}” of ${item.union_name || "another union"} instead of registering a new one?` })),
    h("label", {}, L({ vi: "Ngày quyết định áp dụng", en: "Adopted on" }), on),
    h("label", {}, L({ vi: "Lý do áp dụng", en: "Reason" }), reason), message);
  const yes = h("button", { type: "button", class: "adopt-confirm" }, L({ vi: "Xác nhận áp dụng", en: "Confirm" }));
  const no = h("button", { type: "button", class: "secondary" }, L({ vi: "Huỷ", en: "Cancel" }));
  no.addEventListener("click", () => { box.remove(); open.hidden = false; });
  yes.addEventListener("click", async () => {
    message.replaceChildren();
    const adoptedOn = isoDate(on.value);
    if (!adoptedOn) {
      message.append(h("div", { class: "form-error", role: "alert" }, L({ vi: "Ngày không hợp lệ (dd/mm/yyyy).", en: "Not a date (dd/mm/yyyy)." })));
      return;
    }
    yes.disabled = true;
    try {
      await post("initiatives", "adopt", { initiative_id: item.initiative_id, union_id: union.id, adopted_on: adoptedOn,
        reason: reason.value.trim(), note: name ? `Thay cho đăng ký sáng kiến mới: “${name}”` : undefined });
      location.hash = `#/replication/${item.initiative_id}`;
    } catch (error) {
      showError(box, message, error);
    } finally {
      yes.disabled = false;
    }
  });
  box.append(h("div", { class: "actions" }, yes, no));
  return box;
}
