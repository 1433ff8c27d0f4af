// An auditor's checks of the stores themselves (R5.1), beside the audit of one decision:
// each service's hash chain recomputed over its whole log; its head kept outside the system
// as a checkpoint file and compared with the log later (a chain rewritten whole no longer
// leads to it); every read model rebuilt aside from the log and compared row by row; and one
// record as it stood on a date (#/integrity). The chain check and the replay run as jobs of
// each service (start-job, job, cancel-job): started with a button, followed every second with
// a progress bar, stopped with "Dừng"; over a million events they finish, off any request's
// timeout.
import { ApiError, get, post } from "../api.js";
import { eventName, language, term } from "../i18n.js";
import { date, download, field, form, h, table, today } from "../ui.js";
import { L } from "./kit.js";

const STORES = ["registry", "initiatives", "reviews", "awards", "notifications"];
const W = {
  title: { vi: "Kiểm tra toàn vẹn dữ liệu", en: "Integrity of the records" },
  store: { vi: "Kho dữ liệu", en: "Store" },
  result: { vi: "Kết quả", en: "Result" },
  intact: { vi: "Nguyên vẹn", en: "Intact" },
  keep: { vi: "Tải điểm kiểm tra", en: "Download a checkpoint" },
  chains: { vi: "Chuỗi băm của từng kho (R5.1)", en: "Each store's hash chain (R5.1)" },
  chainsHint: { vi: "Mỗi sự kiện được nối với sự kiện trước bằng mã băm: sửa, xóa hay chèn một sự kiện đều làm đứt chuỗi. "
    + "Tải điểm kiểm tra về và cất giữ ngoài hệ thống; lần sau, đối chiếu để biết chuỗi có bị viết lại từ đầu hay không.",
  en: "Each event is linked to the one before by a hash: altering, removing or inserting an event breaks the chain. "
    + "Download a checkpoint and keep it outside the system; compare with it later to know whether the chain was rewritten whole." },
  compare: { vi: "Đối chiếu với điểm kiểm tra đã lưu", en: "Compare with a saved checkpoint" },
  compareButton: { vi: "Đối chiếu", en: "Compare" },
  file: { vi: "Tệp điểm kiểm tra (.json)", en: "Checkpoint file (.json)" },
  notCheckpoint: { vi: "Tệp này không phải là điểm kiểm tra tải từ trang này.", en: "This file is not a checkpoint downloaded from this page." },
  leads: (c) => ({ vi: `Kho “${c.store}” vẫn dẫn tới điểm kiểm tra lấy ngày ${c.taken}: ${c.position} sự kiện, không sự kiện nào bị sửa, xóa hay chèn.`,
    en: `The store “${c.store}” still leads to the checkpoint taken on ${c.taken}: ${c.position} events, none altered, removed or inserted.` }),
  replay: { vi: "Dựng lại sổ sách từ nhật ký sự kiện", en: "Rebuild the books from the event log" },
  replayHint: { vi: "Mọi bảng tra cứu được dựng lại riêng từ nhật ký rồi so từng dòng với bảng đang dùng.",
    en: "Every lookup table is rebuilt aside from the log and compared row by row with the one in use." },
  replayRun: { vi: "Dựng lại và so sánh", en: "Rebuild and compare" },
  replayed: { vi: "Số sự kiện dựng lại", en: "Events replayed" },
  rows: { vi: "Số dòng", en: "Rows" },
  same: { vi: "Khớp hoàn toàn", en: "Identical" },
  differ: (n) => ({ vi: `${n} bảng khác biệt`, en: `${n} table(s) differ` }),
  notChecked: { vi: "Chưa kiểm được", en: "Not checked" },
  asOf: { vi: "Một hồ sơ qua thời gian", en: "A record over time" },
  events: { vi: "Các sự kiện của hồ sơ", en: "The record's events" },
  versionNo: { vi: "Phiên bản", en: "Version" },
  event: { vi: "Sự kiện", en: "Event" },
  recordedAt: { vi: "Ghi vào sổ lúc", en: "Recorded at" },
  record: { vi: "Mã hồ sơ", en: "Record id" },
  on: { vi: "Ngày hiệu lực", en: "Effective on" },
  field: { vi: "Trường dữ liệu", en: "Field" },
  value: { vi: "Giá trị", en: "Value" },
  version: (v, d) => ({ vi: `Phiên bản ${v} của hồ sơ, như ngày ${d}`, en: `Version ${v} of the record, as on ${d}` }),
  chainsRun: { vi: "Kiểm tra chuỗi băm", en: "Check the hash chains" },
  stop: { vi: "Dừng", en: "Stop" },
  progress: { vi: "Tiến độ", en: "Progress" },
  waiting: { vi: "Chưa kiểm tra", en: "Not checked yet" },
  starting: { vi: "Đang bắt đầu…", en: "Starting…" },
  counted: (done, total) => ({ vi: `Đã kiểm tra ${done}/${total} sự kiện`, en: `Checked ${done} of ${total} events` }),
  cancelled: { vi: "Đã dừng", en: "Stopped" },
  failed: (code) => ({ vi: `Không kiểm tra được (mã lỗi ${code})`, en: `Could not be checked (error ${code})` }),
  lost: { vi: "Dịch vụ đã khởi động lại, lần kiểm tra bị mất: vui lòng bắt đầu lại.",
    en: "The service restarted and the check was lost: please start it again." },
};
const BREAKS = {
  altered: { vi: "sự kiện bị sửa", en: "an event was altered" },
  removed: { vi: "sự kiện bị xóa", en: "an event was removed" },
  inserted: { vi: "sự kiện bị chèn thêm", en: "an event was inserted" },
  truncated: { vi: "nhật ký bị cắt ngắn", en: "the log was cut short" },
  checkpoint_mismatch: { vi: "không còn dẫn tới điểm kiểm tra", en: "no longer leads to the checkpoint" },
};

const storeName = (service) => term("stores", service) ?? service;

function verdict(report) {
  if (report.ok) return h("span", { class: "badge awarded", "data-ok": "true" }, L(W.intact));
  const found = report.break || {};
  const what = L(BREAKS[found.kind] || { vi: "chuỗi bị đứt", en: "the chain is broken" });
  return h("span", { class: "badge revoked", "data-ok": "false" },
    L({ vi: `Bị thay đổi: ${what} tại vị trí ${found.position ?? "?"}`, en: `Changed: ${what} at position ${found.position ?? "?"}` }));
}

// The checkpoint as a file the auditor keeps: which store, the head's position and link, when.
async function keepCheckpoint(service) {
  const head = await get(service, "chain-checkpoint", {});
  const content = JSON.stringify({ kind: "emulation.chain_checkpoint", service, ...head, taken_on: today() }, null, 2);
  download(`diem-kiem-tra-${service}-${today()}.json`, "application/json", btoa(content));
}

function readCheckpoint(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      try {
        const c = JSON.parse(String(reader.result));
        if (c.kind !== "emulation.chain_checkpoint" || !STORES.includes(c.service)) throw new Error("kind");
        resolve(c);
      } catch {
        reject(new ApiError(422, { title: L(W.notCheckpoint), detail: L(W.notCheckpoint), field: "checkpoint" }));
      }
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

// Numbers as the interface's language writes them: 1.070.000 in Vietnamese.
const count = (n) => Number(n || 0).toLocaleString(language() === "en" ? "en-US" : "vi-VN");

// One store's job followed until it ends (or the screen is left): its progress shown on
// `bar` and `words`, asked again each second; resolves with the job as it last stood.
async function follow(service, started, bar, words) {
  let job = started;
  for (;;) {
    const { done, total } = job.progress || {};
    bar.max = Math.max(1, total || 0);
    bar.value = done || 0;
    words.textContent = total == null ? L(W.starting) : L(W.counted(count(done), count(total)));
    if (job.state !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (!bar.isConnected) return job;  // another screen: the job runs on, unfollowed
    job = await get(service, "job", { job_id: job.id });
  }
}

// A check of every store run as jobs: a start button, a row per store with its progress bar
// ("Đã kiểm tra 12.345/1.070.000 sự kiện") and its result, and "Dừng" to cancel them.
function jobsCard({ id, kind, title, hint, run, headings, result, extra = () => [] }) {
  const message = h("div", { id: `${id}-message` });
  const rows = Object.fromEntries(STORES.map((service) => [service, {
    bar: h("progress", { max: "1", value: "0", style: "width: 100%" }),
    words: h("span", { class: "muted", "data-progress": service }, L(W.waiting)),
    result: h("span", { "data-result": service }),
  }]));
  const start = h("button", { id: `${id}-run` }, L(run));
  const stop = h("button", { id: `${id}-stop`, class: "secondary", hidden: true }, L(W.stop));
  const out = h("div", { id: `${id}-result` }, table([L(W.store), L(W.progress), ...headings, ...extra(null).map(() => "")],
    STORES.map((service) => [storeName(service), h("div", {}, rows[service].bar, h("br"), rows[service].words),
      rows[service].result, ...extra(service)])));
  const running = new Map();  // service -> job id
  start.onclick = async () => {
    start.disabled = true;
    message.replaceChildren();
    try {
      await Promise.all(STORES.map(async (service) => {
        const row = rows[service];
        row.result.replaceChildren();
        let job;
        try {
          job = await post(service, "start-job", { kind });
        } catch (error) {
          row.result.replaceChildren(failure(error));
          return;
        }
        running.set(service, job.id);
        stop.hidden = false;
        try {
          job = await follow(service, job, row.bar, row.words);
        } catch (error) {
          row.result.replaceChildren(failure(error));
          return;
        } finally {
          running.delete(service);
        }
        row.result.replaceChildren(job.state === "done" ? result(job.result, service)
          : job.state === "cancelled" ? h("span", { class: "badge", "data-state": "cancelled" }, L(W.cancelled))
            : job.state === "failed" ? h("span", { class: "badge revoked", "data-state": "failed", "data-code": job.error?.code },
              L(W.failed(job.error?.code ?? "?"))) : "");
      }));
    } finally {
      start.disabled = false;
      stop.hidden = true;
    }
  };
  stop.onclick = async () => {
    stop.disabled = true;
    try {
      await Promise.all([...running].map(([service, jobId]) => post(service, "cancel-job", { job_id: jobId })));
    } catch (error) {
      message.replaceChildren(failure(error));
    } finally {
      stop.disabled = false;
    }
  };
  return h("div", { class: "card", id }, h("h2", {}, L(title)), h("p", { class: "muted" }, L(hint)),
    h("div", { class: "actions" }, start, " ", stop), message, out);
}

// A refusal or a lost job, said as the API words it, with its stable code.
function failure(error) {
  const code = error instanceof ApiError ? error.problem.code : "";
  const text = code === "JOB_NOT_FOUND" ? L(W.lost) : error instanceof ApiError ? error.problem.title : String(error);
  return h("span", { class: "form-error", role: "alert", "data-code": code }, text);
}

function chainsCard() {
  return jobsCard({ id: "chains", kind: "verify_chain", title: W.chains, hint: W.chainsHint, run: W.chainsRun,
    headings: [L(W.result)], result: (report) => verdict(report),
    extra: (service) => [service ? h("button", { class: "secondary", "data-store": service,
      onclick: () => keepCheckpoint(service) }, L(W.keep)) : ""] });
}

function compareForm() {
  const result = h("div", { id: "checkpoint-result", role: "status" });
  const el = form(L(W.compare), [field("checkpoint", L(W.file), { type: "file", accept: "application/json,.json" })],
    async (_values, el) => {
      const file = el.querySelector("input[type=file]").files[0];
      if (!file) throw new ApiError(422, { title: L(W.notCheckpoint), field: "checkpoint" });
      const c = await readCheckpoint(file);
      // a job, as every check of a whole store: followed here until it ends
      const bar = h("progress", { max: "1", value: "0", style: "width: 100%" }), words = h("span", { class: "muted" });
      result.replaceChildren(bar, words);
      const job = await follow(c.service, await post(c.service, "start-job", { kind: "verify_chain",
        position: c.position, link: c.link }), bar, words);
      if (job.state !== "done") {
        result.replaceChildren(job.state === "failed" ? L(W.failed(job.error?.code ?? "?")) : L(W.cancelled));
        return;
      }
      const report = job.result;
      result.replaceChildren(report.ok
        ? h("p", { class: "ok" }, L(W.leads({ store: storeName(c.service), taken: date(c.taken_on),
          position: c.position.toLocaleString("vi-VN") })))
        : h("p", {}, `${storeName(c.service)}: `, verdict(report)));
    }, { id: "checkpoint", button: L(W.compareButton), lookup: true });
  el.append(result);  // below the button
  return el;
}

function replayCard() {
  return jobsCard({ id: "replay", kind: "replay_check", title: W.replay, hint: W.replayHint, run: W.replayRun,
    headings: [L(W.result)], result: (r, service) => {
      const tables = Object.keys(r.differences || {}).length;
      const rows = Object.values(r.rows || {}).reduce((a, b) => a + b, 0);
      const unchecked = Object.keys(r.not_checked || {}).length;
      return h("span", {}, h("span", { class: `badge ${r.ok ? "awarded" : "revoked"}`, "data-store": service, "data-ok": String(r.ok) },
        r.ok ? L(W.same) : unchecked ? L(W.notChecked) : L(W.differ(tables))),
      h("span", { class: "muted" }, ` ${L(W.replayed)}: ${count(r.replayed)}; ${L(W.rows)}: ${count(rows)}`));
    } });
}

function asOfForm() {
  const shown = h("div", { id: "as-of-result" });
  const el = form(L(W.asOf), [
    field("service", L(W.store), { type: "select", options: STORES.map((s) => [s, storeName(s)]) }),
    field("aggregate_id", L(W.record)), field("on", L(W.on), { type: "date", value: today() })],
  async (v) => {
    const [events, record] = await Promise.all([get(v.service, "history", { aggregate_id: v.aggregate_id }),
      get(v.service, "state-as-of", { aggregate_id: v.aggregate_id, on: v.on })]);
    const rows = Object.entries(record.state || {}).map(([k, value]) => [h("code", {}, k), h("code", {}, JSON.stringify(value))]);
    shown.replaceChildren(
      h("h3", {}, L(W.events)),
      table([L(W.versionNo), L(W.event), L(W.on), L(W.recordedAt)], events.map((e) => [String(e.version),
        eventName(e.record, e.event), date(e.on), date(e.recorded_at)])),
      h("h3", {}, L(W.version(record.version ?? "?", date(v.on)))), table([L(W.field), L(W.value)], rows));
  }, { id: "as-of", button: L({ vi: "Xem", en: "Show" }), lookup: true });
  el.append(shown);
  return el;
}

async function integrityScreen(shell) {
  shell.page(L(W.title), chainsCard(), h("div", { class: "grid" }, compareForm(), asOfForm()), replayCard());
}

export function register(shell) {
  shell.route(/^#\/integrity$/, () => integrityScreen(shell));
  shell.menuItem("#/integrity", W.title, () => ["auditor", "administrator"].includes(shell.role()));
}
