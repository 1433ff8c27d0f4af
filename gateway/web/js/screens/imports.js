// Importing a file into the registry, by an administrator (R1.1–R1.4, through the registry's
// ``import-records`` command): a CSV or JSON file of unions or of people, an Excel workbook
// (.xlsx: a sheet "Đoàn viên" and/or "Công đoàn", base64 in the command), or a province's
// whole JSON file (unions, people, committees and teams). The registry checks the whole file
// first; a refused file stores nothing and each bad row is listed here by its place in the
// file (the CSV line, the workbook's sheet, row and column, or the record's position in a
// JSON list), its column and what is wrong, in the interface's language (the gateway words
// each row: ``details.errors[].text``). "Xem trước" checks the file without storing it (a dry
// run) and shows what would be added and its first records; the upload's progress is shown
// as the browser sends it, then the time the registry takes to check and store it.
import { ApiError, get, signOut, token } from "../api.js";
import { language } from "../i18n.js";
import { download, field, fileBase64, h, showError, table, values } from "../ui.js";
import { L, options } from "./kit.js";

const KINDS = [
  ["province", { vi: "Cả tỉnh: đơn vị, đoàn viên, các ban và tổ (tệp JSON), hoặc tệp Excel có cả trang Công đoàn và Đoàn viên",
    en: "A whole province: unions, people, bodies (JSON file), or an Excel workbook with both sheets" }],
  ["unions", { vi: "Đơn vị công đoàn (tệp Excel, CSV hoặc JSON)", en: "Unions (Excel, CSV or JSON file)" }],
  ["people", { vi: "Đoàn viên, cán bộ (tệp Excel, CSV hoặc JSON)", en: "Members and officials (Excel, CSV or JSON file)" }],
  ["bodies", { vi: "Ban chấp hành, các ban (tệp Excel, CSV hoặc JSON; mỗi dòng một thành viên)",
    en: "Committees and teams (Excel, CSV or JSON file; one row per member)" }],
];
// The columns a preview shows, by their labels (the template's headers).
const LABELS = { code: { vi: "Mã", en: "Code" }, name: { vi: "Tên công đoàn", en: "Name" },
  level: { vi: "Cấp công đoàn", en: "Level" }, parent_code: { vi: "Mã công đoàn cấp trên", en: "Parent code" },
  founded_on: { vi: "Ngày thành lập", en: "Founded on" }, full_name: { vi: "Họ và tên", en: "Full name" },
  birth_date: { vi: "Ngày sinh", en: "Date of birth" }, gender: { vi: "Giới tính", en: "Gender" },
  union_code: { vi: "Mã công đoàn", en: "Union code" }, joined_on: { vi: "Ngày gia nhập", en: "Joining date" },
  is_official: { vi: "Cán bộ công đoàn", en: "Official" }, is_full_time: { vi: "Cán bộ chuyên trách", en: "Full-time" } };
// R1.2: a sheet of bodies, one row per member.
const BODY_LABELS = { union_code: LABELS.union_code, kind: { vi: "Loại", en: "Kind" }, name: { vi: "Tên", en: "Name" },
  term_start: { vi: "Ngày bắt đầu nhiệm kỳ", en: "Term start" }, term_end: { vi: "Ngày kết thúc nhiệm kỳ", en: "Term end" },
  department: { vi: "Ban", en: "Department" }, decision_number: { vi: "Số quyết định", en: "Decision number" },
  decision_signed_on: { vi: "Ngày quyết định", en: "Decision date" }, person_code: { vi: "Mã đoàn viên", en: "Person code" },
  position: { vi: "Chức vụ", en: "Position" } };
const XLSX = /\.xlsx$/i;
// A preview's cell as a person reads it: genders and levels in words, ticks as "Có".
const WORDS = { male: { vi: "Nam", en: "Male" }, female: { vi: "Nữ", en: "Female" }, other: { vi: "Khác", en: "Other" },
  grassroots: { vi: "Công đoàn cơ sở", en: "Grassroots union" }, direct_superior: { vi: "Công đoàn cấp trên trực tiếp cơ sở", en: "Direct-superior union" },
  provincial_federation: { vi: "Liên đoàn Lao động tỉnh", en: "Provincial federation" }, confederation: { vi: "Tổng Liên đoàn", en: "Confederation" } };
const BODY_WORDS = {
  kind: { executive_committee: { vi: "Ban Chấp hành", en: "Executive committee" }, standing_committee: { vi: "Ban Thường vụ", en: "Standing committee" },
    department: { vi: "Ban chuyên đề", en: "Department" }, idea_incubation_team: { vi: "Tổ ươm mầm ý tưởng", en: "Idea incubation team" },
    initiative_support_team: { vi: "Tổ hỗ trợ sáng kiến", en: "Initiative support team" } },
  position: { chairman: { vi: "Chủ tịch", en: "Chair" }, vice_chairman: { vi: "Phó Chủ tịch", en: "Vice-chair" },
    member: { vi: "Ủy viên", en: "Member" }, head: { vi: "Trưởng ban", en: "Head" }, deputy_head: { vi: "Phó Trưởng ban", en: "Deputy head" },
    leader: { vi: "Tổ trưởng", en: "Leader" } } };
const YES = ["true", "1", "yes", "x", "có", "co"];
function cell(name, value) {
  if (value === null || value === undefined) return "";
  if (BODY_WORDS[name]) return BODY_WORDS[name][value] ? L(BODY_WORDS[name][value]) : String(value);
  if (name === "is_official" || name === "is_full_time") {
    return YES.includes(String(value).trim().toLowerCase()) ? L({ vi: "Có", en: "Yes" }) : "";
  }
  return WORDS[value] ? L(WORDS[value]) : String(value);
}
const count = (n) => Number(n ?? 0).toLocaleString(language() === "en" ? "en-US" : "vi-VN");
// A JSON record's list, as a person names it ("Đoàn viên thứ 3").
const LISTS = { unions: { vi: "Đơn vị", en: "Union" }, people: { vi: "Đoàn viên", en: "Person" },
  bodies: { vi: "Ban, tổ", en: "Body" }, format: { vi: "Định dạng tệp", en: "File format" } };
const COLUMNS = {
  unions: "code, name, level, parent_code, founded_on",
  people: "code, full_name, birth_date, gender, union_code, joined_on, is_official, is_full_time",
  bodies: "union_code, kind, name, term_start, term_end, department, decision_number, decision_signed_on, person_code, position",
};

const JSON_SHAPE = '{"format": "emulation.registry.import/v1", "unions": […], "people": […], "bodies": […]}';

// Where a refused row is: "doan-vien.csv, dòng 3", "Trang «Đoàn viên», dòng 5002" or
// "Đoàn viên thứ 3".
function place(entry) {
  if (entry.row === null || entry.row === undefined) return entry.file || L(LISTS[entry.list] || { vi: "Tệp", en: "File" });
  if (entry.sheet) return L({ vi: `Trang «${entry.sheet}», dòng ${entry.row}`, en: `Sheet “${entry.sheet}”, row ${entry.row}` });
  if (entry.file) return L({ vi: `${entry.file}, dòng ${entry.row}`, en: `${entry.file}, line ${entry.row}` });
  const list = LISTS[entry.list];
  return list ? L({ vi: `${list.vi} thứ ${entry.row}`, en: `${list.en}, record ${entry.row}` })
    : L({ vi: `Dòng ${entry.row}`, en: `Line ${entry.row}` });
}

// A button that downloads one of the registry's empty Excel workbooks to fill in (the import's,
// the reorganisation plan's); a refusal goes to ``refused``.
export function excelTemplateButton(id, operation, refused) {
  const button = h("button", { type: "button", class: "secondary", id },
    L({ vi: "Tải tệp mẫu Excel", en: "Download the Excel template" }));
  button.addEventListener("click", async () => {
    try {
      const file = await get("registry", operation, { format: "xlsx" });
      download(file.filename, file.content_type, file.content_base64);
    } catch (error) {
      refused(error);
    }
  });
  return button;
}

export function refusedCard(problem) {
  const rows = (problem.details || {}).errors || [];
  const total = (problem.details || {}).total ?? rows.length;
  return h("div", { class: "card", id: "import-refused", role: "alert" },
    h("h2", {}, L({ vi: "Tệp không được nhập, không có gì được lưu", en: "The file was refused; nothing was stored" })),
    h("p", {}, L({ vi: `Số dòng lỗi: ${total}.`, en: `Rows refused: ${total}.` })),
    table([L({ vi: "Vị trí", en: "Where" }), L({ vi: "Cột", en: "Column" }), L({ vi: "Lỗi", en: "What is wrong" })],
      rows.map((e) => [h("span", { "data-row": e.row ?? "" }, place(e)), column(e), e.text || problem.title])));
}

// A refused row's column: "F — Ngày gia nhập" in a workbook (Excel's letter and the label).
function column(entry) {
  if (!entry.column_letter) return entry.label || "";
  return h("span", { "data-cell": entry.cell || "" }, `${entry.column_letter} — ${entry.label || entry.header || ""}`);
}

function resultCard(result) {
  const counts = result.counts || {}, skipped = result.skipped || {};
  const line = (label, made, there) => [L(label), count(made), there === undefined ? "—" : count(there)];
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

// The first records of a checked file as the registry read them: a person sees that the
// columns were understood before anything is stored.
function sampleCard(sample) {
  return Object.entries(sample || {}).filter(([, list]) => (list.records || []).length).map(([listed, list]) => {
    const labels = listed === "bodies" ? BODY_LABELS : LABELS;
    const fields = Object.keys(labels).filter((f) => list.records.some((r) => r[f] !== undefined && r[f] !== null));
    const where = list.sheet ? L({ vi: `Trang «${list.sheet}»`, en: `Sheet “${list.sheet}”` }) : L(LISTS[listed] || {});
    return h("div", { class: "import-sample", "data-list": listed },
      h("h3", {}, L({ vi: `${where}: ${count(list.total)} dòng, ${list.records.length} dòng đầu`,
        en: `${where}: ${count(list.total)} rows, the first ${list.records.length}` })),
      table([L({ vi: "Dòng", en: "Row" }), ...fields.map((f) => L(labels[f]))],
        list.records.map((r, i) => [String((list.rows || [])[i] ?? i + 1), ...fields.map((f) => cell(f, r[f]))])));
  });
}

// R1.1: the import sent with XMLHttpRequest, whose upload reports its progress (fetch does
// not); then the registry checks and stores the file, which the bar shows as under way.
function send(body, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/registry/import-records");
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.setRequestHeader("Accept-Language", language() === "en" ? "en" : "vi");
    if (token()) xhr.setRequestHeader("Authorization", `Bearer ${token()}`);
    xhr.upload.onprogress = (event) => { if (event.lengthComputable) progress.sent(event.loaded, event.total); };
    xhr.upload.onload = () => progress.waiting(body.upload_id);
    xhr.onerror = () => reject(new Error(L({ vi: "Mất kết nối tới máy chủ khi gửi tệp.", en: "The connection to the server was lost." })));
    xhr.onload = () => {
      let data = {};
      try { data = xhr.responseText ? JSON.parse(xhr.responseText) : {}; } catch { data = { title: xhr.statusText }; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data.result);
      else {
        if (xhr.status === 401) { signOut(); location.hash = "#/login"; }
        reject(new ApiError(xhr.status, data));
      }
    };
    xhr.send(JSON.stringify(body));
  });
}

const size = (bytes) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)
  .replace(".", language() === "en" ? "." : ",");

// The progress bar: the share of the file sent, then how long the registry has been at it.
function progressBar() {
  const bar = h("progress", { id: "import-progress-bar", max: "100", value: "0", style: "width: 100%; height: 1.2rem" });
  const words = h("span", { class: "muted", id: "import-progress-text" });
  const el = h("div", { class: "card", id: "import-progress", role: "status", hidden: true },
    h("h2", {}, L({ vi: "Đang xử lý tệp", en: "Processing the file" })), bar, words);
  let timer = null;
  return {
    el,
    start(what, storing) {
      this.storing = storing;
      el.hidden = false;
      el.querySelector("h2").textContent = what;
      bar.value = 0;
      words.textContent = L({ vi: "Đang đọc và gửi tệp…", en: "Reading and sending the file…" });
    },
    sent(loaded, total) {
      bar.value = Math.round((100 * loaded) / total);
      words.textContent = L({ vi: `Đã gửi ${bar.value}% (${size(loaded)} / ${size(total)})`,
        en: `Sent ${bar.value}% (${size(loaded)} of ${size(total)})` });
    },
    // Once sent: the registry's own report (import-progress) every second — rows checked,
    // then people stored — or, before its first report, the seconds it has been at it.
    waiting(uploadId) {
      if (timer) return;
      bar.value = 100;
      const began = Date.now();
      let asking = false, known = null;
      const tick = async () => {
        const seconds = Math.round((Date.now() - began) / 1000);
        if (uploadId && !asking) {
          asking = true;
          try { known = await get("registry", "import-progress", { upload_id: uploadId }); } catch { known = null; } finally { asking = false; }
        }
        if (!timer) return;
        if (known && known.total && (known.phase === "checking" || known.phase === "storing")) {
          bar.value = Math.round((100 * known.done) / known.total);
          words.textContent = L(known.phase === "checking"
            ? { vi: `Máy chủ đang kiểm tra: ${count(known.done)} / ${count(known.total)} dòng (${seconds} giây)`,
              en: `The server is checking: ${count(known.done)} of ${count(known.total)} rows (${seconds} s)` }
            : { vi: `Đã kiểm tra cả tệp. Đang lưu: ${count(known.done)} / ${count(known.total)} đoàn viên (${seconds} giây)`,
              en: `The whole file is checked. Storing: ${count(known.done)} of ${count(known.total)} people (${seconds} s)` });
          return;
        }
        words.textContent = L(this.storing
          ? { vi: `Đã gửi xong tệp. Máy chủ đang kiểm tra từng dòng rồi lưu… (${seconds} giây)`,
            en: `File sent. The server is checking every row, then storing it… (${seconds} s)` }
          : { vi: `Đã gửi xong tệp. Máy chủ đang kiểm tra từng dòng… (${seconds} giây)`,
            en: `File sent. The server is checking every row… (${seconds} s)` });
      };
      timer = setInterval(tick, 1000);
      tick();
    },
    stop() {
      clearInterval(timer);
      timer = null;
      el.hidden = true;
    },
  };
}

async function importScreen(shell) {
  const outcome = h("div", { id: "import-outcome" });
  const message = h("div", { class: "form-message" });
  const progress = progressBar();
  const templateButton = excelTemplateButton("import-template", "import-template",
    (error) => showError(el, message, error));
  const previewButton = h("button", { type: "button", class: "secondary", id: "import-preview-button" },
    L({ vi: "Xem trước (chưa lưu)", en: "Preview (store nothing)" }));
  const el = h("form", { class: "card", id: "import", novalidate: true },
    h("h2", {}, L({ vi: "Nhập tệp vào hệ thống tổ chức", en: "Import a file into the registry" })), message,
    field("kind", L({ vi: "Tệp gồm", en: "The file holds" }), { type: "select", options: options(KINDS, null) }),
    field("file", L({ vi: "Tệp (Excel .xlsx, CSV hoặc JSON mã UTF-8)", en: "File (Excel .xlsx, CSV or JSON in UTF-8)" }),
      { type: "file", accept: ".xlsx,.csv,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    h("div", { class: "actions" }, previewButton, h("button", { type: "submit" }, L({ vi: "Nhập tệp", en: "Import" })),
      templateButton));

  // The command for the chosen file: its text, or an Excel workbook's bytes in base64.
  const command = async () => {
    const v = values(el);
    const file = el.querySelector("input[type=file]").files[0];
    if (!file) {
      throw new ApiError(422, { code: "FILE_REQUIRED", title: L({ vi: "Hãy chọn tệp cần nhập.", en: "Choose the file to import." }),
        details: { field: "file" } });
    }
    const format = XLSX.test(file.name) ? "xlsx" : /\.json$/i.test(file.name) ? "json" : "csv";
    const content = format === "xlsx" ? await fileBase64(file) : await file.text();
    return { file_content: content, format, kind: v.kind, filename: file.name };
  };

  const run = async (dryRun, given) => {
    message.replaceChildren();
    outcome.replaceChildren();
    for (const row of el.querySelectorAll(".row.invalid")) row.classList.remove("invalid");
    for (const slot of el.querySelectorAll(".field-error")) slot.textContent = "";
    const buttons = [...document.querySelectorAll("#import button, #import-outcome button")];
    for (const b of buttons) b.disabled = true;
    try {
      const body = given || await command();
      progress.start(L(dryRun ? { vi: `Đang kiểm tra ${body.filename}`, en: `Checking ${body.filename}` }
        : { vi: `Đang nhập ${body.filename}`, en: `Importing ${body.filename}` }), !dryRun);
      const uploadId = globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : undefined;
      const result = await send({ ...body, dry_run: dryRun, upload_id: uploadId }, progress);
      progress.stop();
      const card = resultCard(result);
      if (dryRun) {
        card.id = "import-preview";
        card.append(...sampleCard(result.sample), h("div", { class: "actions" },
          h("button", { type: "button", id: "import-confirm", onclick: () => run(false, body) },
            L({ vi: "Nhập tệp này", en: "Import this file" }))));
      }
      outcome.replaceChildren(card);
    } catch (error) {
      progress.stop();
      if (error instanceof ApiError && (error.problem.details || {}).errors && !error.fields.length) {
        outcome.replaceChildren(refusedCard(error.problem));
      }
      showError(el, message, error);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };
  previewButton.addEventListener("click", () => run(true));
  el.addEventListener("submit", (event) => {
    event.preventDefault();
    run(false);
  });
  shell.page(L({ vi: "Nhập dữ liệu đơn vị, đoàn viên", en: "Import unions and people" }),
    h("div", { class: "grid" }, el,
      h("div", { class: "card", id: "import-help" }, h("h2", {}, L({ vi: "Tệp cần có", en: "What the file holds" })),
        h("p", {}, L({ vi: "Tệp Excel (.xlsx): trang «Đoàn viên» và/hoặc «Công đoàn», dòng đầu là tiêu đề cột như trong tệp mẫu "
          + "(tiêu đề tiếng Việt hoặc tên cột dưới đây), mỗi dòng sau một hồ sơ; ngày ghi ngày/tháng/năm. "
          + "Dòng lỗi được nêu theo trang, số dòng và cột (chữ cái) như Excel hiển thị.",
        en: "An Excel workbook (.xlsx): a sheet “Đoàn viên” (people) and/or “Công đoàn” (unions), the first row naming the "
          + "columns as in the template (Vietnamese headers or the names below), then one record a row; dates as day/month/year. "
          + "A bad row is named by its sheet, row number and column letter, as Excel shows them." })),
        h("p", {}, L({ vi: "Tệp CSV: dòng đầu là tên các cột, mỗi dòng sau một hồ sơ; ngày ghi năm-tháng-ngày.",
          en: "A CSV file: the first line names the columns, then one record a line; dates as year-month-day." })),
        h("p", {}, L({ vi: "Cột của tệp đơn vị: ", en: "Columns of a file of unions: " }), h("code", {}, COLUMNS.unions)),
        h("p", {}, L({ vi: "Cột của tệp đoàn viên: ", en: "Columns of a file of people: " }), h("code", {}, COLUMNS.people)),
        h("p", {}, L({ vi: "Cột của tệp ban chấp hành, các ban (mỗi dòng một thành viên; các dòng cùng công đoàn, loại, ban và ngày bắt đầu là một ban): ",
          en: "Columns of a file of bodies (one row per member; rows of one union, kind, department and term start are one body): " }),
        h("code", {}, COLUMNS.bodies)),
        h("p", {}, L({ vi: "Tệp JSON của cả tỉnh: ", en: "A province's JSON file: " }), h("code", {}, JSON_SHAPE)),
        h("p", { class: "muted" }, L({ vi: "Cả tệp được kiểm tra trước khi lưu: nếu có dòng lỗi, không dòng nào được lưu. "
          + "Hồ sơ đã có (cùng mã) được bỏ qua, nên nhập lại một tệp không tạo bản trùng.",
        en: "The whole file is checked before anything is stored: with a bad row, no row is stored. "
          + "Records already there (same code) are skipped, so loading a file again makes no duplicates." })))),
    progress.el, outcome);
}

export function register(shell) {
  shell.route(/^#\/import$/, () => importScreen(shell));
  shell.menuItem("#/import", { vi: "Nhập dữ liệu", en: "Import" }, () => shell.role() === "administrator");
}
