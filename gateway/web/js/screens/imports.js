// Importing a file into the registry, by an administrator (R1.1–R1.4, through the registry's
// ``import-records`` command): a CSV or JSON file of unions or of people, or a province's
// whole JSON file (unions, people, committees and teams). The registry checks the whole file
// first; a refused file stores nothing and each bad row is listed here by its place in the
// file (the CSV line, or the record's position in a JSON list), its column and what is wrong,
// in the interface's language (the gateway words each row: ``details.errors[].text``).
import { ApiError, post } from "../api.js";
import { field, h, showError, table, values } from "../ui.js";
import { L, options } from "./kit.js";

const KINDS = [
  ["province", { vi: "Cả tỉnh: đơn vị, đoàn viên, các ban và tổ (tệp JSON)",
    en: "A whole province: unions, people, bodies (JSON file)" }],
  ["unions", { vi: "Đơn vị công đoàn (tệp CSV hoặc JSON)", en: "Unions (CSV or JSON file)" }],
  ["people", { vi: "Đoàn viên, cán bộ (tệp CSV hoặc JSON)", en: "Members and officials (CSV or JSON file)" }],
];
// A JSON record's list, as a person names it ("Đoàn viên thứ 3").
const LISTS = { unions: { vi: "Đơn vị", en: "Union" }, people: { vi: "Đoàn viên", en: "Person" },
  bodies: { vi: "Ban, tổ", en: "Body" }, format: { vi: "Định dạng tệp", en: "File format" } };
const COLUMNS = {
  unions: "code, name, level, parent_code, founded_on",
  people: "code, full_name, birth_date, gender, union_code, joined_on, is_official, is_full_time",
};

const JSON_SHAPE = '{"format": "emulation.registry.import/v1", "unions": […], "people": […], "bodies": […]}';

// Where a refused row is: "doan-vien.csv, dòng 3" or "Đoàn viên thứ 3".
function place(entry) {
  if (entry.row === null || entry.row === undefined) return entry.file || L(LISTS[entry.list] || { vi: "Tệp", en: "File" });
  if (entry.file) return L({ vi: `${entry.file}, dòng ${entry.row}`, en: `${entry.file}, line ${entry.row}` });
  const list = LISTS[entry.list];
  return list ? L({ vi: `${list.vi} thứ ${entry.row}`, en: `${list.en}, record ${entry.row}` })
    : L({ vi: `Dòng ${entry.row}`, en: `Line ${entry.row}` });
}

function refusedCard(problem) {
  const rows = (problem.details || {}).errors || [];
  const total = (problem.details || {}).total ?? rows.length;
  return h("div", { class: "card", id: "import-refused", role: "alert" },
    h("h2", {}, L({ vi: "Tệp không được nhập, không có gì được lưu", en: "The file was refused; nothing was stored" })),
    h("p", {}, L({ vi: `Số dòng lỗi: ${total}.`, en: `Rows refused: ${total}.` })),
    table([L({ vi: "Vị trí", en: "Where" }), L({ vi: "Cột", en: "Column" }), L({ vi: "Lỗi", en: "What is wrong" })],
      rows.map((e) => [h("span", { "data-row": e.row ?? "" }, place(e)), e.label || "", e.text || problem.title])));
}

function resultCard(result) {
  const counts = result.counts || {}, skipped = result.skipped || {};
  const line = (label, made, there) => [L(label), String(made ?? 0), there === undefined ? "—" : String(there)];
  return h("div", { class: "card", id: "import-result", role: "status" },
    h("h2", {}, L(result.dry_run ? { vi: "Tệp hợp lệ — chỉ kiểm tra, chưa lưu", en: "The file is valid — checked only, nothing stored" }
      : { vi: "Đã nhập tệp", en: "File imported" })),
    table([L({ vi: "Loại hồ sơ", en: "Records" }), L(result.dry_run ? { vi: "Sẽ thêm mới", en: "Would be added" } : { vi: "Thêm mới", en: "Added" }),
      L({ vi: "Đã có, bỏ qua", en: "Already there, skipped" })], [
      line({ vi: "Đơn vị công đoàn", en: "Unions" }, counts.unions, skipped.unions),
      line({ vi: "Đoàn viên, cán bộ", en: "Members and officials" }, counts.people, skipped.people),
      line({ vi: "Ban chấp hành, ban thường vụ, các ban và tổ", en: "Committees, departments and teams" }, counts.bodies, skipped.bodies),
      line({ vi: "Phân công chức vụ", en: "Appointments" }, counts.appointments)]),
    h("p", { class: "muted" }, L({ vi: "Mã kiểm tra của tệp (SHA-256): ", en: "The file's digest (SHA-256): " }),
      h("code", {}, result.sha256 || "")));
}

async function importScreen(shell) {
  const outcome = h("div", { id: "import-outcome" });
  const message = h("div", { class: "form-message" });
  const el = h("form", { class: "card", id: "import", novalidate: true },
    h("h2", {}, L({ vi: "Nhập tệp vào hệ thống tổ chức", en: "Import a file into the registry" })), message,
    field("kind", L({ vi: "Tệp gồm", en: "The file holds" }), { type: "select", options: options(KINDS, null) }),
    field("file", L({ vi: "Tệp (CSV hoặc JSON, mã UTF-8)", en: "File (CSV or JSON, UTF-8)" }),
      { type: "file", accept: ".csv,.json,text/csv,application/json" }),
    h("div", { class: "row checks", "data-field": "dry_run" }, h("label", {}, h("input", { type: "checkbox", name: "dry_run", value: "yes" }),
      L({ vi: "Chỉ kiểm tra tệp, không lưu", en: "Check the file only, store nothing" }))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, L({ vi: "Nhập tệp", en: "Import" }))));
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.replaceChildren();
    outcome.replaceChildren();
    for (const row of el.querySelectorAll(".row.invalid")) row.classList.remove("invalid");
    for (const slot of el.querySelectorAll(".field-error")) slot.textContent = "";
    const button = el.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const v = values(el);
      const file = el.querySelector("input[type=file]").files[0];
      if (!file) {
        throw new ApiError(422, { code: "FILE_REQUIRED", title: L({ vi: "Hãy chọn tệp cần nhập.", en: "Choose the file to import." }),
          details: { field: "file" } });
      }
      const format = /\.json$/i.test(file.name) ? "json" : "csv";
      const result = await post("registry", "import-records", { file_content: await file.text(), format,
        kind: v.kind, dry_run: (v.dry_run || []).includes("yes"), filename: file.name });
      outcome.replaceChildren(resultCard(result));
    } catch (error) {
      if (error instanceof ApiError && (error.problem.details || {}).errors && !error.fields.length) {
        outcome.replaceChildren(refusedCard(error.problem));
      }
      showError(el, message, error);
    } finally {
      button.disabled = false;
    }
  });
  shell.page(L({ vi: "Nhập dữ liệu đơn vị, đoàn viên", en: "Import unions and people" }),
    h("div", { class: "grid" }, el,
      h("div", { class: "card", id: "import-help" }, h("h2", {}, L({ vi: "Tệp cần có", en: "What the file holds" })),
        h("p", {}, L({ vi: "Tệp CSV: dòng đầu là tên các cột, mỗi dòng sau một hồ sơ; ngày ghi năm-tháng-ngày.",
          en: "A CSV file: the first line names the columns, then one record a line; dates as year-month-day." })),
        h("p", {}, L({ vi: "Cột của tệp đơn vị: ", en: "Columns of a file of unions: " }), h("code", {}, COLUMNS.unions)),
        h("p", {}, L({ vi: "Cột của tệp đoàn viên: ", en: "Columns of a file of people: " }), h("code", {}, COLUMNS.people)),
        h("p", {}, L({ vi: "Tệp JSON của cả tỉnh: ", en: "A province's JSON file: " }), h("code", {}, JSON_SHAPE)),
        h("p", { class: "muted" }, L({ vi: "Cả tệp được kiểm tra trước khi lưu: nếu có dòng lỗi, không dòng nào được lưu. "
          + "Hồ sơ đã có (cùng mã) được bỏ qua, nên nhập lại một tệp không tạo bản trùng.",
        en: "The whole file is checked before anything is stored: with a bad row, no row is stored. "
          + "Records already there (same code) are skipped, so loading a file again makes no duplicates." })))),
    outcome);
}

export function register(shell) {
  shell.route(/^#\/import$/, () => importScreen(shell));
  shell.menuItem("#/import", { vi: "Nhập dữ liệu", en: "Import" }, () => shell.role() === "administrator");
}
