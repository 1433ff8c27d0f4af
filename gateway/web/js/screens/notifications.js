// A person's notifications (the notifications service): the bell in the header with the
// number unread, and the list (#/notifications), unread first — the 3-month limit of a
// registered initiative, the half-year and annual reviews due, a dossier returned, a
// difficulty awaiting the Policy–Law department's answer — each
// with its deadline, whether it went out by e-mail, and "đã đọc". The person's e-mail address
// for reminders and turning e-mail off are on the same screen. Every call is about the
// signed-in person's own: the service takes the person from the sign-in, never from a field.
import { ApiError, get, getPage, post } from "../api.js";
import { t } from "../i18n.js";
import { date, field, form, h, table } from "../ui.js";
import { L, vnDate } from "./kit.js";

const KINDS = {
  initiative_decision: { vi: "Hạn xét công nhận sáng kiến (3 tháng)", en: "Initiative decision limit (3 months)" },
  half_year: { vi: "Hạn sơ kết 6 tháng", en: "Half-year review due" },
  annual: { vi: "Hạn tổng kết năm", en: "Annual review due" },
  dossier_returned: { vi: "Hồ sơ khen thưởng bị trả lại", en: "Award dossier returned" },
  nomination_pending: { vi: "Đề nghị khen thưởng chờ quyết định", en: "Nomination awaiting a decision" },
  difficulty_answer: { vi: "Khó khăn, vướng mắc chờ trả lời", en: "Difficulty awaiting an answer" },
};
const STAGES = { before: { vi: "Sắp đến hạn", en: "Due soon" }, at: { vi: "Đến hạn", en: "Due" } };
const MAIL = {
  pending: { vi: "Đang gửi thư", en: "E-mail being sent" },
  sent: { vi: "Đã gửi thư", en: "E-mailed" },
  skipped: { vi: "Chỉ trong ứng dụng", en: "In the app only" },
  parked: { vi: "Không gửi được thư", en: "E-mail could not be delivered" },
};

// What a notification is about, as a union office says it.
function about(item) {
  const s = item.subject || {};
  if (item.kind === "initiative_decision") {
    return L({ vi: `Sáng kiến ${s.reference} “${s.name}” (đăng ký ngày ${vnDate(s.registered_on)}) cần được xét công nhận hoặc từ chối.`,
      en: `Initiative ${s.reference} “${s.name}” (registered ${vnDate(s.registered_on)}) must be decided.` });
  }
  if (item.kind === "half_year" || item.kind === "annual") {
    const p = String(s.period || "");
    const vi = item.kind === "annual" ? `tổng kết năm ${p}` : `sơ kết ${p.endsWith("H1") ? "6 tháng đầu" : "6 tháng cuối"} năm ${p.slice(0, 4)}`;
    return L({ vi: `Công đoàn cần tổ chức ${vi}.`, en: `The union owes its ${item.kind === "annual" ? "annual" : "half-year"} review (${p}).` });
  }
  if (item.kind === "nomination_pending") {
    const who = s.subject === "collective" ? { vi: "tập thể", en: "collective" } : { vi: "cá nhân", en: "individual" };
    return L({ vi: `Đề nghị khen thưởng ${who.vi} năm ${s.year} đang chờ xét, quyết định.`,
      en: `A nomination (${who.en}, ${s.year}) awaits a decision.` });
  }
  if (item.kind === "dossier_returned") {
    const missing = (s.missing || []).map((k) => t(`kindOf.${k}`)).join(", ") || "—";
    return L({ vi: `Hồ sơ bị trả lại (lần ${s.round}); cần bổ sung và gửi lại. Còn thiếu: ${missing}.`,
      en: `Returned (round ${s.round}); supplement and submit again. Missing: ${missing}.` });
  }
  if (item.kind === "difficulty_answer") {
    return L({ vi: `Khó khăn, vướng mắc “${s.subject}” (báo cáo ngày ${vnDate(s.reported_on)}) đang chờ Ban Chính sách – Pháp luật trả lời.`,
      en: `Difficulty “${s.subject}” (reported ${vnDate(s.reported_on)}) awaits the Policy–Law department's answer.` });
  }
  return "";
}

// Whether the signed-in user is a person of the registry (only a person has notifications).
const isPerson = (shell) => Boolean(shell.ctx.me && shell.ctx.me.person_id);

// Redraws the bell's count; quietly empty when the service does not answer.
export async function refreshBell(shell) {
  const bell = document.getElementById("bell");
  if (!bell) return;
  bell.hidden = !isPerson(shell);
  bell.setAttribute("aria-label", L({ vi: "Thông báo", en: "Notifications" }));
  bell.title = L({ vi: "Thông báo", en: "Notifications" });
  if (bell.hidden) return;
  const count = document.getElementById("bell-count");
  try {
    const mine = await getPage("notifications", "my-notifications", { unread_only: true, limit: 1 });
    count.textContent = mine.unread ? String(mine.unread > 99 ? "99+" : mine.unread) : "";
    count.hidden = !mine.unread;
    if (mine.unread) {  // the count it shows is part of its name (axe: label-content-name-mismatch)
      bell.setAttribute("aria-label", L({ vi: `Thông báo: ${count.textContent} chưa đọc`,
        en: `Notifications: ${count.textContent} unread` }));
    }
    bell.dataset.unread = String(mine.unread);
  } catch {
    count.hidden = true;
  }
}

function itemCard(shell, item) {
  const read = async () => {
    await post("notifications", "mark-read", { reminder_id: item.reminder_id });
    await screen(shell);
  };
  return h("div", { class: `card notification${item.read ? " read" : " unread"}`, "data-id": item.reminder_id,
    "data-read": String(item.read) },
    h("h2", {}, h("span", { class: `badge ${item.stage === "at" ? "overdue" : "due"}` }, L(STAGES[item.stage] || { vi: item.stage })),
      " ", L(KINDS[item.kind] || { vi: item.kind })),
    h("p", {}, about(item)),
    h("p", { class: "muted" }, L({ vi: "Thời hạn: ", en: "Deadline: " }), h("b", {}, vnDate(item.due_on)),
      " · ", h("span", { class: `mail ${item.mail_status}`, title: item.last_error || "" }, L(MAIL[item.mail_status] || { vi: item.mail_status })),
      item.mail_status === "parked" ? h("span", { class: "form-error" }, ` (${L({ vi: "đã thử", en: "tried" })} ${item.attempts})`) : null),
    item.read ? h("p", { class: "muted" }, L({ vi: "Đã đọc", en: "Read" }))
      : h("button", { class: "secondary", onclick: read }, L({ vi: "Đánh dấu đã đọc", en: "Mark as read" })));
}

function emailCard(shell, preference) {
  const card = form(L({ vi: "Nhận thông báo qua thư điện tử", en: "Notifications by e-mail" }), [
    field("address", L({ vi: "Địa chỉ thư điện tử", en: "E-mail address" }), { type: "email", value: preference.address || "" }),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "email_enabled", checked: Boolean(preference.email_enabled) }),
      " ", L({ vi: "Gửi thông báo qua thư điện tử", en: "Send notifications by e-mail" })),
  ], async (v, el) => {
    await post("notifications", "set-email", { address: v.address || null, email_enabled: el.elements.email_enabled.checked });
    await screen(shell);
  }, { id: "email-preference", button: t("save") });
  return card;
}

async function screen(shell) {
  if (!isPerson(shell)) {
    shell.page(L({ vi: "Thông báo", en: "Notifications" }),
      h("p", { class: "muted" }, L({ vi: "Tài khoản này không gắn với đoàn viên, cán bộ nào nên không có thông báo.",
        en: "This account is no member or official, so it has no notifications." })));
    return;
  }
  const [mine, preference] = await Promise.all([
    getPage("notifications", "my-notifications", { limit: 200 }), get("notifications", "my-email")]);
  const allRead = async () => { await post("notifications", "mark-all-read", {}); await screen(shell); };
  shell.page(L({ vi: "Thông báo", en: "Notifications" }),
    h("p", { id: "unread-summary" }, L({ vi: `Chưa đọc: ${mine.unread} / ${mine.items.length}.`,
      en: `Unread: ${mine.unread} of ${mine.items.length}.` }), " ",
      mine.unread ? h("button", { class: "link-button secondary", onclick: allRead }, L({ vi: "Đánh dấu tất cả đã đọc", en: "Mark all as read" })) : null),
    mine.items.length ? h("div", { id: "notification-list" }, mine.items.map((item) => itemCard(shell, item)))
      : h("p", { class: "muted" }, L({ vi: "Chưa có thông báo nào.", en: "No notifications yet." })),
    emailCard(shell, preference));
  await refreshBell(shell);
}

// Administrators: the reminders whose e-mail the server refused every time (parked), or that
// are still being tried, with the last error: kept and shown, never dropped (#/undelivered).
async function undeliveredScreen(shell) {
  const [parked, pending] = await Promise.all([get("notifications", "undelivered-mail", { status: "parked" }),
    get("notifications", "undelivered-mail", { status: "pending" })]);
  const rows = [...parked, ...pending].map((r) => [L(KINDS[r.kind] || { vi: r.kind, en: r.kind }), L(STAGES[r.stage] || r.stage),
    vnDate(r.due_on), h("span", { class: `mail ${r.mail_status}` }, L(MAIL[r.mail_status] || r.mail_status)), String(r.attempts),
    r.last_error ? h("code", {}, r.last_error) : "", date(r.created_at)]);
  shell.page(L({ vi: "Thư nhắc việc chưa gửi được", en: "Reminders not delivered by e-mail" }),
    h("div", { class: "card", id: "undelivered" },
      h("p", { class: "muted" }, L({ vi: "Thư bị máy chủ thư từ chối được gửi lại nhiều lần rồi giữ lại ở đây; người nhận vẫn thấy thông báo trong ứng dụng.",
        en: "Mail the server refused is tried again several times, then kept here; the person still sees the notification in the app." })),
      table([L({ vi: "Nội dung", en: "About" }), L({ vi: "Mốc", en: "Stage" }), L({ vi: "Hạn", en: "Due" }),
        L({ vi: "Tình trạng thư", en: "Mail" }), L({ vi: "Số lần gửi", en: "Attempts" }), L({ vi: "Lỗi gần nhất", en: "Last error" }),
        L({ vi: "Tạo lúc", en: "Created" })], rows, L({ vi: "Không có thư nào chưa gửi được.", en: "No undelivered mail." }))));
}

export function register(shell) {
  shell.route(/^#\/undelivered$/, () => undeliveredScreen(shell));
  shell.menuItem("#/undelivered", { vi: "Thư nhắc việc chưa gửi được", en: "Undelivered reminders" },
    () => shell.role() === "administrator");
  shell.route(/^#\/notifications$/, () => screen(shell).catch((e) => {
    if (!(e instanceof ApiError)) throw e;
    shell.page(L({ vi: "Thông báo", en: "Notifications" }), h("p", { class: "form-error" }, e.message));
  }));
}
