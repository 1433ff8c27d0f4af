// A reorganisation plan (R1.5, the registry's ``apply-reorganisation`` command), by an
// administrator: one decision (its number, the date it is signed and the date it takes effect,
// its legal basis, the union whose decision it is) and an Excel sheet "Sắp xếp tổ chức" (or a
// CSV file) listing the foundings, moves, renames, merges, splits and dissolutions of that
// date, in the order they are made. "Xem trước" checks the whole plan and stores nothing: each
// bad row by its place in the file, in the interface's language (the gateway words each row),
// and, for every union the plan touches, its parent on the day before and on the day, then the
// open items the plan would carry over to a successor or close (R1.5). "Áp dụng
// phương án" stores all of it in one transaction, or nothing.
import { ApiError, get, post } from "../api.js";
import { date, field, fileBase64, h, showError, table, values } from "../ui.js";
import { excelTemplateButton, refusedCard } from "./imports.js";
import { L } from "./kit.js";

const LEVELS = { grassroots: { vi: "Công đoàn cơ sở", en: "Grassroots union" },
  direct_superior: { vi: "Công đoàn cấp trên trực tiếp cơ sở", en: "Direct-superior union" },
  provincial_federation: { vi: "Liên đoàn Lao động tỉnh", en: "Provincial federation" },
  confederation: { vi: "Tổng Liên đoàn", en: "Confederation" } };
const STATUSES = { active: { vi: "Hoạt động", en: "Active" }, merged: { vi: "Đã hợp nhất", en: "Merged" },
  split: { vi: "Đã chia tách", en: "Split" }, dissolved: { vi: "Đã giải thể", en: "Dissolved" } };
const dayBefore = (iso) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};
const named = (u) => (u ? `${u.name} (${u.code})` : "—");

// The parents of every union the plan touches, on the day before and on the day.
function treeCard(tree, on) {
  const changed = (r) => (r.parent_before || {}).id !== (r.parent_after || {}).id || r.name_before !== r.name_after
    || r.status_before !== r.status_after;
  return h("div", { class: "card", id: "reorganisation-tree" },
    h("h2", {}, L({ vi: `Cây tổ chức trước và sau: ${tree.length} đơn vị thay đổi`, en: `The tree before and after: ${tree.length} unions change` })),
    table([L({ vi: "Mã", en: "Code" }), L({ vi: "Cấp", en: "Level" }),
      L({ vi: `Ngày ${date(dayBefore(on))}: tên, cấp trên`, en: `On ${date(dayBefore(on))}: name, parent` }),
      L({ vi: `Từ ngày ${date(on)}: tên, cấp trên`, en: `From ${date(on)}: name, parent` }),
      L({ vi: "Tình trạng", en: "Status" })],
    tree.filter(changed).map((r) => [r.code, L(LEVELS[r.level] || r.level),
      r.name_before ? `${r.name_before} — ${named(r.parent_before)}` : L({ vi: "(chưa có)", en: "(not yet)" }),
      r.name_after ? `${r.name_after} — ${named(r.parent_after)}` : "—",
      `${r.status_before ? L(STATUSES[r.status_before]) : L({ vi: "Thành lập mới", en: "Founded" })} → ${L(STATUSES[r.status_after] || r.status_after)}`])));
}

// R1.5: what each union the plan ends holds that is still open in the other services, and
// what the plan would do to it: carried over to the successor, or closed with its reason.
const KINDS = { initiative: { vi: "Sáng kiến, đề tài", en: "Initiative" }, idea: { vi: "Ý tưởng", en: "Idea" },
  replication: { vi: "Đăng ký nhân rộng", en: "Adoption" }, pledge: { vi: "Giao ước thi đua", en: "Pledge" },
  half_year: { vi: "Sơ kết 6 tháng", en: "Half-year review" }, annual: { vi: "Tổng kết năm", en: "Annual review" },
  difficulty: { vi: "Vướng mắc chờ trả lời", en: "Difficulty awaiting an answer" },
  nomination: { vi: "Đề nghị khen thưởng", en: "Nomination" }, submission: { vi: "Hồ sơ đề nghị", en: "Dossier" } };
const PERIODIC = new Set(["pledge", "half_year", "annual"]);
const SERVICES = { initiatives: { vi: "Sáng kiến", en: "Initiatives" }, reviews: { vi: "Sơ kết, tổng kết", en: "Reviews" },
  awards: { vi: "Khen thưởng", en: "Awards" } };

function openItemsCard(items, unanswered, on) {
  return h("div", { class: "card", id: "reorganisation-open-items" },
    h("h2", {}, L({ vi: `Việc đang mở được chuyển giao / kết thúc: ${items.length}`,
      en: `Open items carried over / closed: ${items.length}` })),
    h("p", { class: "muted" }, L({ vi: `Từ ngày ${date(on)}, đơn vị tiếp nhận tiếp tục các việc được chuyển giao; `
      + "các quyết định ghi ngày trước đó vẫn giữ thẩm quyền như khi ban hành.",
    en: `From ${date(on)} the successor carries on what is carried over; decisions dated before keep the authority `
      + "they were made under." })),
    ...(unanswered || []).map((u) => h("p", { class: "form-message" }, L({
      vi: `Dịch vụ ${L(SERVICES[u.service] || { vi: u.service, en: u.service })} chưa trả lời (${u.code}): danh sách có thể thiếu.`,
      en: `The ${L(SERVICES[u.service] || { vi: u.service, en: u.service })} service did not answer (${u.code}): the list may be short.` }))),
    table([L({ vi: "Đơn vị", en: "Union" }), L({ vi: "Loại việc", en: "Kind" }), L({ vi: "Việc", en: "Item" }),
      L({ vi: "Chuyển giao / kết thúc", en: "Carried over / closed" })],
    items.map((i) => [named(i.from), L(KINDS[i.kind] || { vi: i.kind, en: i.kind }),
      // a review's period is in its title already, as the office words it
      i.number && !PERIODIC.has(i.kind) && !String(i.title).includes(i.number) ? `${i.title} (${i.number})` : i.title,
      i.action === "carried"
        ? L({ vi: `Chuyển cho ${i.to ? named(i.to) : "đơn vị mới"}`, en: `Carried over to ${i.to ? named(i.to) : "a new union"}` })
          + (i.reason ? ` — ${i.reason}` : "")
        : L({ vi: `Kết thúc: ${i.reason || ""}`, en: `Closed: ${i.reason || ""}` })]),
    L({ vi: "Không có việc đang mở nào phải chuyển giao.", en: "No open item to carry over." })));
}

async function reorganisationScreen(shell) {
  const outcome = h("div", { id: "reorganisation-outcome" });
  const message = h("div", { class: "form-message" });
  const templateButton = excelTemplateButton("reorganisation-template", "reorganisation-template",
    (error) => showError(el, message, error));
  const previewButton = h("button", { type: "button", class: "secondary", id: "reorganisation-preview-button" },
    L({ vi: "Xem trước (chưa lưu)", en: "Preview (store nothing)" }));
  const el = h("form", { class: "card", id: "reorganisation", novalidate: true },
    h("h2", {}, L({ vi: "Phương án sắp xếp tổ chức", en: "Reorganisation plan" })), message,
    field("number", L({ vi: "Số quyết định", en: "Decision number" }), { placeholder: "125/QĐ-LĐLĐ" }),
    field("union_id", L({ vi: "Mã công đoàn ban hành quyết định", en: "Code of the deciding union" }), { placeholder: "TV" }),
    field("signed_on", L({ vi: "Ngày ký", en: "Signed on" }), { type: "date" }),
    field("effective_on", L({ vi: "Ngày có hiệu lực", en: "Takes effect on" }), { type: "date" }),
    field("legal_basis", L({ vi: "Căn cứ pháp lý", en: "Legal basis" }), { type: "textarea", rows: 2 }),
    field("file", L({ vi: "Tệp phương án (Excel .xlsx hoặc CSV)", en: "Plan file (Excel .xlsx or CSV)" }),
      { type: "file", accept: ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    h("div", { class: "actions" }, previewButton, h("button", { type: "submit" }, L({ vi: "Áp dụng phương án", en: "Apply the plan" })),
      templateButton));

  const command = async () => {
    const v = values(el);
    const file = el.querySelector("input[type=file]").files[0];
    if (!file) {
      throw new ApiError(422, { code: "FILE_REQUIRED", title: L({ vi: "Hãy chọn tệp phương án.", en: "Choose the plan's file." }),
        details: { field: "file" } });
    }
    const format = /\.xlsx$/i.test(file.name) ? "xlsx" : "csv";
    const content = format === "xlsx" ? await fileBase64(file) : await file.text();
    return { number: v.number, union_id: v.union_id, signed_on: v.signed_on, effective_on: v.effective_on,
      legal_basis: v.legal_basis, file_content: content, format, filename: file.name };
  };

  const run = async (dryRun, given) => {
    message.replaceChildren();
    outcome.replaceChildren();
    for (const row of el.querySelectorAll(".row.invalid")) row.classList.remove("invalid");
    for (const slot of el.querySelectorAll(".field-error")) slot.textContent = "";
    const buttons = [...document.querySelectorAll("#reorganisation button, #reorganisation-outcome button")];
    for (const b of buttons) b.disabled = true;
    let body = given;
    try {
      body = given || await command();
      const result = await post("registry", "apply-reorganisation", { ...body, dry_run: dryRun });
      const card = h("div", { class: "card", id: dryRun ? "reorganisation-preview" : "reorganisation-result", role: "status" },
        h("h2", {}, L(dryRun ? { vi: `Phương án hợp lệ — ${result.changes} thay đổi, chỉ kiểm tra, chưa lưu`,
          en: `The plan is valid — ${result.changes} changes, checked only, nothing stored` }
          : { vi: `Đã áp dụng phương án: ${result.changes} thay đổi, ${result.records} hồ sơ, trong một lần lưu`,
            en: `The plan is applied: ${result.changes} changes, ${result.records} records, in one save` })),
        h("p", { class: "muted" }, L({ vi: "Mã kiểm tra của tệp (SHA-256): ", en: "The file's digest (SHA-256): " }),
          h("code", {}, result.sha256 || "")));
      if (!dryRun) {  // the decision as recorded: what every change of the plan cites
        const plan = await get("registry", "get-reorganisation", { plan_id: result.plan_id });
        card.append(table([L({ vi: "Quyết định", en: "Decision" }), L({ vi: "Ngày ký", en: "Signed on" }),
          L({ vi: "Ngày có hiệu lực", en: "Takes effect on" }), L({ vi: "Căn cứ pháp lý", en: "Legal basis" })],
        [[plan.number, date(plan.signed_on), date(plan.effective_on), plan.legal_basis]]));
      }
      if (dryRun) {
        card.append(h("div", { class: "actions" }, h("button", { type: "button", id: "reorganisation-confirm",
          onclick: () => run(false, body) }, L({ vi: "Áp dụng phương án này", en: "Apply this plan" }))));
      }
      outcome.replaceChildren(card, treeCard(result.tree || [], body.effective_on),
        ...(result.open_items ? [openItemsCard(result.open_items, result.open_items_unanswered, body.effective_on)] : []));
    } catch (error) {
      const details = (error instanceof ApiError && error.problem.details) || {};
      if (details.errors && !error.fields.length) {
        const refused = refusedCard(error.problem);
        refused.id = "reorganisation-refused";
        refused.querySelector("h2").textContent = L({ vi: "Phương án không được áp dụng, không có gì được lưu",
          en: "The plan was refused; nothing was stored" });
        outcome.replaceChildren(refused, ...(details.tree && body ? [treeCard(details.tree, body.effective_on)] : []));
      } else showError(el, message, error);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  previewButton.addEventListener("click", () => run(true));
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    run(false);
  });
  shell.page(L({ vi: "Sắp xếp tổ chức", en: "Reorganisation" }),
    h("div", { class: "grid" }, el,
      h("div", { class: "card", id: "reorganisation-help" }, h("h2", {}, L({ vi: "Phương án gồm", en: "What the plan holds" })),
        h("p", {}, L({ vi: "Trang «Sắp xếp tổ chức» của tệp mẫu: mỗi dòng một thay đổi, theo thứ tự thực hiện — Thành lập, "
          + "Chuyển, Đổi tên, Hợp nhất (cả Liên đoàn Lao động tỉnh), Chia tách, Giải thể. Mỗi dòng được kiểm tra trên cây tổ "
          + "chức như các dòng trước để lại: thành lập công đoàn khu vực, chuyển các công đoàn cơ sở về, rồi giải thể công đoàn "
          + "huyện đã hết đơn vị trực thuộc.",
        en: "The template's sheet “Sắp xếp tổ chức”: one change a row, in the order made — found, move, rename, merge "
          + "(provincial federations too), split, dissolve. Each row is checked on the tree as the rows before leave it: "
          + "found the regional union, move the grassroots unions under it, then dissolve the emptied district federation." })),
        h("p", { class: "muted" }, L({ vi: "Cả phương án được kiểm tra trước: nếu có một dòng lỗi thì không thay đổi nào được lưu. "
          + "Các quyết định ghi ngày trước ngày có hiệu lực vẫn được xét theo cây tổ chức cũ.",
        en: "The whole plan is checked first: with one bad row, no change is stored. Decisions dated before the plan takes "
          + "effect are still judged by the old tree." })))),
    outcome);
}

export function register(shell) {
  shell.route(/^#\/reorganisation$/, () => reorganisationScreen(shell));
  shell.menuItem("#/reorganisation", { vi: "Sắp xếp tổ chức", en: "Reorganisation" }, () => shell.role() === "administrator");
}
