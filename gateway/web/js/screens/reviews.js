// The movement's year at a union (R2.1–R2.5, R2.7, R2.8): launching it, disseminating it by
// kind, the grassroots committee's pledge (refused, with its reason, without the movement's
// content), the half-year review with its self-inspection, the annual review with the rewards
// given and proposed upward, and difficulties reported to the Policy–Law department.
import { ApiError, get } from "../api.js";
import { field, h } from "../ui.js";
import { L, POSITIONS, commandForm, facts, listCard, options, thisYear, vnDate } from "./kit.js";

const KINDS = [
  ["conference", { vi: "Hội nghị quán triệt", en: "Briefing conference" }],
  ["seminar", { vi: "Tọa đàm", en: "Seminar" }],
  ["union_media", { vi: "Phương tiện thông tin của Công đoàn", en: "Union media" }],
  ["agency_media", { vi: "Phương tiện thông tin của cơ quan, đơn vị", en: "Agency media" }],
  ["leaflet", { vi: "Tờ rơi", en: "Leaflets" }],
  ["banner", { vi: "Băng rôn", en: "Banners" }],
  ["slogan", { vi: "Khẩu hiệu", en: "Slogans" }],
  ["other", { vi: "Hình thức khác", en: "Other" }],
];
const REVIEW_STATUS = { held: { vi: "Đã tổ chức", en: "Held" }, due: { vi: "Đến hạn", en: "Due" },
  overdue: { vi: "Quá hạn", en: "Overdue" }, not_started: { vi: "Chưa đến kỳ", en: "Not started" },
  not_expected: { vi: "Chưa thành lập", en: "Not yet founded" } };
const THREAD = { report: { vi: "Báo cáo", en: "Report" }, answer: { vi: "Trả lời của Ban Chính sách – Pháp luật",
  en: "Answer of the Policy–Law department" }, follow_up: { vi: "Trao đổi thêm", en: "Follow-up" } };
const YEAR = { vi: "Năm", en: "Year" };
const EVIDENCE = { vi: "Văn bản kèm theo (mỗi dòng một tệp)", en: "Documents (one file a line)" };

// A period's name as a union office writes it: "6 tháng đầu năm 2026", "năm 2025".
function periodName(period) {
  const [year, half] = String(period).split("-H");
  if (!half) return L({ vi: `Năm ${year}`, en: `Year ${year}` });
  return half === "1" ? L({ vi: `6 tháng đầu năm ${year}`, en: `First half of ${year}` })
    : L({ vi: `6 tháng cuối năm ${year}`, en: `Second half of ${year}` });
}

function yearPicker(base, year) {
  return h("form", { class: "actions", onsubmit: (e) => {
    e.preventDefault();
    location.hash = `${base}/${e.target.elements.year.value}`;
  } }, h("input", { name: "year", type: "number", value: year, style: "max-width:7rem", "aria-label": L(YEAR) }),
  h("button", { type: "submit" }, L({ vi: "Xem", en: "Show" })));
}

// --- R2.3: a pledge's targets -------------------------------------------------------------------

const count = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("vi-VN"));

// The rule book titles its target kinds in Vietnamese; these are their English names.
const TARGET_EN = {
  initiatives_registered: "Initiatives registered", topics_registered: "Topics registered",
  initiatives_recognised: "Initiatives recognised", models_replicated: "Models replicated",
  members_trained: "Members trained",
};
const targetTitle = (code, title) => L({ vi: title, en: TARGET_EN[code] || title });

// R2.3: the pledge's targets, one row each: a kind the rule book names (its Vietnamese title),
// a number and a due date; "Thêm chỉ tiêu" adds a row. Read back by ``targetItems``.
function targetsEditor(kinds, year) {
  const rows = h("div", { class: "targets" });
  let next = 0;
  const add = () => {
    const i = next++;
    const row = h("div", { class: "target-row", "data-target": String(i) },
      field(`items.${i}.kind`, L({ vi: "Loại chỉ tiêu", en: "Kind of target" }), { type: "select",
        options: options(kinds.map((k) => [k.code, `${targetTitle(k.code, k.title)}${k.counted ? "" : L({ vi: " (tự đánh giá)", en: " (self-assessed)" })}`])) }),
      field(`items.${i}.number`, L({ vi: "Số lượng", en: "Number" }), { type: "number", min: 1, step: 1 }),
      field(`items.${i}.due_on`, L({ vi: "Thời hạn", en: "Due on" }), { type: "date", value: `${year}-12-31` }),
      h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, L({ vi: "Bỏ", en: "Remove" })));
    rows.append(row);
  };
  add();
  return h("div", { class: "row", "data-field": "items" },
    h("label", {}, L({ vi: "Các chỉ tiêu giao ước (loại, số lượng, thời hạn)", en: "Targets (kind, number, due date)" })),
    h("div", { class: "muted hint" }, L({ vi: "Giao ước phải có ít nhất một chỉ tiêu cam kết với phong trào.",
      en: "A pledge commits to at least one target of the movement." })),
    // The editor's own refusal slot comes first: a refusal naming "items" is shown here.
    h("div", { class: "field-error", role: "alert" }),
    rows,
    h("div", { class: "actions" }, h("button", { type: "button", class: "secondary", id: "add-target", onclick: add },
      L({ vi: "Thêm chỉ tiêu", en: "Add a target" }))));
}

// The items of the editor's rows, from the form's values (a row left without a kind is skipped).
function targetItems(v) {
  const found = [];
  for (const name of Object.keys(v)) {
    const m = /^items\.(\d+)\.kind$/.exec(name);
    if (!m || !v[name]) continue;
    const number = v[`items.${m[1]}.number`];
    found.push({ kind: v[name], number: number === "" ? null : Number(number), due_on: v[`items.${m[1]}.due_on`] });
  }
  return found;
}

// R2.4, R2.5: one number input per pledged target for the union's own figure.
function selfAssessmentFields(targets) {
  return targets.map((t) => field(`sa.${t.kind}`, `${L({ vi: "Tự đánh giá", en: "Self-assessed" })}: ${targetTitle(t.kind, t.title)}`,
    { type: "number", min: 0, step: 1 }));
}

function selfAssessment(targets, v) {
  return targets.filter((t) => (v[`sa.${t.kind}`] ?? "") !== "")
    .map((t) => ({ kind: t.kind, achieved: Number(v[`sa.${t.kind}`]) }));
}

// R2.3–R2.5: each target of the pledge beside what the system counted from the initiatives'
// published events in the period and the union's own figure from its review of the period.
function targetsCard(id, title, shown) {
  return listCard(id, title,
    [{ vi: "Chỉ tiêu", en: "Target" }, { vi: "Số đăng ký", en: "Pledged" }, { vi: "Thời hạn", en: "Due" },
      { vi: "Đạt được (hệ thống đếm)", en: "Achieved (counted)" }, { vi: "Tự đánh giá", en: "Self-assessed" }],
    shown.targets.map((t) => [targetTitle(t.kind, t.title), count(t.number), vnDate(t.due_on),
      t.counted ? h("span", { "data-achieved": String(t.achieved) }, count(t.achieved))
        : h("span", { class: "muted", "data-achieved": "" }, L({ vi: "Không đếm được — chỉ tự đánh giá", en: "Not counted — self-assessed only" })),
      h("span", { "data-self-assessed": t.self_assessed ?? "" }, t.self_assessed === null
        ? L({ vi: "Chưa đánh giá", en: "Not assessed" }) : `${count(t.self_assessed)}${t.note ? ` — ${t.note}` : ""}`)]),
    shown.pledge_id ? { vi: "Giao ước không có chỉ tiêu (ký trước khi có chỉ tiêu).", en: "The pledge has no targets." }
      : { vi: "Chưa ký giao ước thi đua.", en: "No pledge signed." });
}

// --- R2.1, R2.2, R2.3: launch, dissemination, pledge --------------------------------------------

async function movementScreen(shell, y) {
  const u = shell.ctx.union, year = Number(y) || thisYear();
  const grassrootsUnion = u.level === "grassroots";
  const [s, kinds, pledged] = await Promise.all([get("reviews", "schedule", { union_id: u.id, year }),
    grassrootsUnion ? get("reviews", "pledge-target-kinds", {}) : [],
    grassrootsUnion ? get("reviews", "pledge-targets", { union_id: u.id, period: String(year) }) : null]);
  const refresh = () => movementScreen(shell, year);
  const yearField = { name: "year", label: YEAR, number: true, value: year };
  const grassroots = u.level === "grassroots";
  shell.page(`${L({ vi: "Phát động, tuyên truyền, giao ước thi đua", en: "Launch, dissemination, pledge" })} — ${u.name}`,
    yearPicker("#/movement", year),
    facts({ vi: `Phong trào năm ${year}`, en: `The movement in ${year}` }, [
      [{ vi: "Ngày phát động", en: "Launched on" }, s.launched_on ? vnDate(s.launched_on) : L({ vi: "Chưa phát động", en: "Not launched" })],
      [{ vi: "Số hoạt động tuyên truyền", en: "Dissemination activities" }, String(s.disseminations)],
      grassroots ? [{ vi: "Ngày ký giao ước thi đua", en: "Pledge signed on" },
        s.pledge_signed_on ? vnDate(s.pledge_signed_on) : L({ vi: "Chưa ký", en: "Not signed" })] : null,
    ], { id: "movement-year" }),
    pledged && pledged.pledge_id ? targetsCard("pledge-targets", { vi: `Chỉ tiêu giao ước năm ${year}`, en: `Pledged targets for ${year}` }, pledged) : null,
    h("div", { class: "grid" },
      // Once launched or signed for the year, there is nothing more to record there.
      s.launched_on ? null : commandForm({ id: "launch", title: { vi: "Phát động phong trào (R2.1)", en: "Launch the movement (R2.1)" },
        service: "reviews", command: "launch", fixed: { union_id: u.id }, done: refresh, fields: [
          yearField,
          { name: "launched_on", label: { vi: "Ngày phát động", en: "Launched on" }, type: "date" },
          { name: "title", label: { vi: "Tên văn bản phát động", en: "Title of the launch" },
            value: L({ vi: "Phát động phong trào thi đua \"Đổi mới, sáng tạo, hiệu quả\"", en: "Launch of the movement" }) },
          { name: "plan", label: { vi: "Kế hoạch thực hiện", en: "Plan" }, type: "textarea" },
          { name: "number", label: { vi: "Số văn bản", en: "Document number" } },
          { name: "evidence", label: EVIDENCE, list: true }] }),
      commandForm({ id: "dissemination", title: { vi: "Ghi nhận hoạt động tuyên truyền (R2.2)", en: "Record dissemination (R2.2)" },
        service: "reviews", command: "record-dissemination", fixed: { union_id: u.id }, done: refresh, fields: [
          yearField,
          { name: "kind", label: { vi: "Hình thức tuyên truyền", en: "Kind" }, options: options(KINDS) },
          { name: "held_on", label: { vi: "Ngày tổ chức", en: "Held on" }, type: "date" },
          { name: "title", label: { vi: "Nội dung tuyên truyền", en: "Subject" } },
          { name: "audience", label: { vi: "Đối tượng", en: "Audience" } },
          { name: "reach", label: { vi: "Số lượt người được tuyên truyền", en: "People reached" }, number: true }] }),
      grassroots && !s.pledge_signed_on ? commandForm({ id: "pledge", title: { vi: "Ký giao ước thi đua (R2.3)", en: "Sign the emulation pledge (R2.3)" },
        service: "reviews", command: "sign-pledge", fixed: { union_id: u.id }, done: refresh,
        shape: (data, v) => ({ ...data, items: targetItems(v) }),
        at: { PLEDGE_WITHOUT_MOVEMENT_CONTENT: "content", PLEDGE_WITHOUT_TARGETS: "items" }, fields: [
          yearField,
          { name: "signed_on", label: { vi: "Ngày ký", en: "Signed on" }, type: "date" },
          targetsEditor(kinds, year),
          { name: "content", label: { vi: "Nội dung giao ước (không bắt buộc)", en: "Text of the pledge (optional)" }, type: "textarea" },
          { name: "commitments", label: { vi: "Cam kết khác (mỗi dòng một ý)", en: "Other commitments (one a line)" }, list: true },
          { name: "evidence", label: EVIDENCE, list: true }] }) : null));
}

// --- R2.4, R2.5, R2.7: half-year and annual reviews --------------------------------------------

// R2.5: the rewards given on the union's own authority and the proposals sent upward are
// links to its award decisions and nominations of the year, chosen from them (never typed).
const revoked = { vi: " (đã thu hồi)", en: " (revoked)" };

function awardLabel(a) {
  return `${L({ vi: "Quyết định số", en: "Decision No." })} ${a.number} ${L({ vi: "ngày", en: "of" })} ${vnDate(a.decided_on)}`
    + ` — ${a.form} — ${a.recipient}${a.revoked ? L(revoked) : ""}`;
}

function nominationLabel(n) {
  return `${L({ vi: "Đề nghị khen thưởng", en: "Nomination" })}${n.number ? ` ${L({ vi: "số", en: "No." })} ${n.number}` : ""}`
    + ` ${L({ vi: "ngày", en: "of" })} ${vnDate(n.nominated_on)} — ${n.form} — ${n.recipient}`;
}

// A reward or proposal the review lists: a link, or (a review of before links) as typed.
function givenText(r) {
  return r.award_id ? awardLabel(r) : `${r.recipient} — ${r.form}${r.reason ? ` — ${r.reason}` : ""} ${L({ vi: "(ghi tay, không có quyết định kèm theo)", en: "(typed, no decision linked)" })}`;
}

function proposedText(p) {
  return p.nomination_id ? nominationLabel(p) : `${p.recipient} — ${p.form}${p.reason ? ` — ${p.reason}` : ""}`;
}

// R2.5: the choices of an annual review's form: the union's decisions and upward nominations.
function linkFields(links, listed = new Set()) {
  const none = (text) => h("div", { class: "row muted", "data-field": text.field }, L(text));
  return [
    links.awards.length ? { name: "award_ids", label: { vi: "Khen thưởng theo thẩm quyền (chọn quyết định đã ban hành)", en: "Rewards given (choose the decisions)" },
      checks: links.awards.map((a) => [a.award_id, awardLabel(a), listed.has(a.award_id)]) }
      : none({ field: "award_ids", vi: `Đơn vị chưa có quyết định khen thưởng nào của năm ${links.year}.`, en: `No award decision of ${links.year} yet.` }),
    links.nominations.length ? { name: "nomination_ids", label: { vi: "Đề nghị cấp trên khen thưởng (chọn đề nghị đã gửi)", en: "Proposed upward (choose the nominations)" },
      checks: links.nominations.map((n) => [n.nomination_id, nominationLabel(n), listed.has(n.nomination_id)]) }
      : none({ field: "nomination_ids", vi: `Đơn vị chưa gửi đề nghị khen thưởng nào lên cấp trên cho năm ${links.year}.`, en: `No nomination proposed upward for ${links.year} yet.` }),
  ];
}

const chosen = (v, name) => (Array.isArray(v[name]) ? v[name] : []);

// R2.5: the annual review once held: what it lists, linking more while it is open, closing it.
function annualReviewCards(review, links, refresh) {
  const listed = new Set([...review.rewards_given.map((r) => r.award_id), ...review.rewards_proposed.map((p) => p.nomination_id)].filter(Boolean));
  const open = !review.closed_on;
  return [
    facts({ vi: `Tổng kết năm ${review.year}`, en: `Annual review of ${review.year}` }, [
      [{ vi: "Ngày tổng kết", en: "Held on" }, vnDate(review.held_on)],
      [{ vi: "Điểm tự chấm", en: "Self-assessed score" }, score(review.self_score)],
      [{ vi: "Tình trạng", en: "Status" }, h("span", { class: `badge ${open ? "due" : "held"}`, id: "annual-status" },
        open ? L({ vi: "Đang mở — cập nhật khen thưởng, đề nghị", en: "Open — rewards and proposals may be linked" })
          : `${L({ vi: "Đã kết thúc ngày", en: "Closed on" })} ${vnDate(review.closed_on)}`)],
    ], { id: "annual-review" }),
    listCard("annual-given", { vi: "Khen thưởng theo thẩm quyền", en: "Rewards given on own authority" },
      [{ vi: "Quyết định", en: "Decision" }],
      review.rewards_given.map((r) => [h("span", { "data-award": r.award_id || "" }, givenText(r))]),
      { vi: "Không có.", en: "None." }),
    listCard("annual-proposed", { vi: "Đề nghị cấp trên khen thưởng", en: "Proposed upward" },
      [{ vi: "Đề nghị", en: "Nomination" }, { vi: "Hồ sơ đề nghị", en: "Nomination filed" }],
      review.rewards_proposed.map((p) => [h("span", { "data-nomination": p.nomination_id || "" }, proposedText(p)),
        h("span", { class: `badge ${p.nominated ? "held" : "overdue"}` }, L(p.nominated ? { vi: "Có", en: "Yes" }
          : { vi: "Chưa có đề nghị khen thưởng", en: "No nomination" }))]),
      { vi: "Không có.", en: "None." }),
    open ? h("div", { class: "grid" },
      commandForm({ id: "annual-links", title: { vi: "Cập nhật khen thưởng và đề nghị khen thưởng (R2.5)", en: "Link rewards and proposals (R2.5)" },
        service: "reviews", command: "link-review-rewards", fixed: { union_id: review.union_id, year: review.year }, done: refresh,
        shape: (data, v) => ({ ...data, award_ids: chosen(v, "award_ids"), nomination_ids: chosen(v, "nomination_ids") }),
        fields: [{ name: "linked_on", label: { vi: "Ngày cập nhật", en: "Date" }, type: "date" }, ...linkFields(links, listed)] }),
      commandForm({ id: "annual-close", title: { vi: "Kết thúc tổng kết năm (R2.5)", en: "Close the annual review (R2.5)" },
        service: "reviews", command: "close-annual-review", fixed: { union_id: review.union_id, year: review.year }, done: refresh,
        at: { PROPOSAL_WITHOUT_NOMINATION: "closed_on" }, button: { vi: "Kết thúc", en: "Close" },
        fields: [{ name: "closed_on", label: { vi: "Ngày kết thúc", en: "Closed on" }, type: "date" }] })) : null,
  ];
}

async function annualReview(u, year) {
  try {
    return await get("reviews", "get-annual-review", { union_id: u.id, year });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    return null;
  }
}

async function reviewsScreen(shell, y) {
  const u = shell.ctx.union, year = Number(y) || thisYear();
  const periods = [`${year}-H1`, `${year}-H2`, String(year)];
  const s = await get("reviews", "schedule", { union_id: u.id, year });
  const shown = [];  // one period after the other: the screen asks the service one thing at a time
  if (u.level === "grassroots") for (const period of periods) shown.push(await get("reviews", "pledge-targets", { union_id: u.id, period }));
  const targets = shown.length ? shown[2].targets : [];
  const refresh = () => reviewsScreen(shell, year);
  const review = await annualReview(u, year);
  const links = await get("reviews", "review-award-links", { union_id: u.id, year });
  shell.page(`${L({ vi: "Sơ kết, tổng kết phong trào", en: "Half-year and annual reviews" })} — ${u.name}`,
    yearPicker("#/reviews", year),
    listCard("schedule", { vi: `Lịch sơ kết, tổng kết năm ${year}`, en: `Reviews of ${year}` },
      [{ vi: "Kỳ", en: "Period" }, { vi: "Hạn", en: "Due" }, { vi: "Ngày tổ chức", en: "Held on" }, { vi: "Tình trạng", en: "Status" }],
      s.reviews.map((r) => [periodName(r.period), vnDate(r.due_on), vnDate(r.held_on || ""),
        h("span", { class: `badge ${r.status}`, "data-period": r.period }, L(REVIEW_STATUS[r.status] || r.status))])),
    // R1.5: the pledge and reviews taken over from a union merged into this one
    ...((s.carried_over || []).length ? [listCard("carried-over", { vi: "Tiếp nhận từ đơn vị hợp nhất vào", en: "Taken over from a merged union" },
      [{ vi: "Việc", en: "Item" }, { vi: "Tiếp nhận từ", en: "Taken over from" }, { vi: "Hạn", en: "Due" },
        { vi: "Tình trạng", en: "Status" }],
      s.carried_over.map((c) => [c.record === "pledge" ? L({ vi: `Giao ước thi đua năm ${c.period}`, en: `Pledge of ${c.period}` })
        : c.record === "annual" ? L({ vi: `Tổng kết năm ${c.period}`, en: `Annual review of ${c.period}` })
          : L({ vi: `Sơ kết ${periodName(c.period)}`, en: `Half-year review: ${periodName(c.period)}` }),
      L({ vi: `${c.carried_from_name || c.carried_from}, từ ngày ${vnDate(c.carried_on)}`,
        en: `${c.carried_from_name || c.carried_from}, from ${vnDate(c.carried_on)}` }),
      vnDate(c.due_on || ""), c.status ? h("span", { class: `badge ${c.status}` }, L(REVIEW_STATUS[c.status] || c.status)) : ""]))] : []),
    ...shown.map((p) => targetsCard(`targets-${p.period}`, { vi: `Chỉ tiêu giao ước — ${periodName(p.period)}`,
      en: `Pledged targets — ${periodName(p.period)}` }, p)),
    await ownClassification(shell, u, year),
    ...(review ? annualReviewCards(review, links, refresh) : []),
    h("div", { class: "grid" },
      commandForm({ id: "half-year", title: { vi: "Sơ kết 6 tháng, tự kiểm tra (R2.4)", en: "Half-year review and self-inspection (R2.4)" },
        service: "reviews", command: "hold-half-year-review", fixed: { union_id: u.id }, done: refresh,
        shape: (data, v) => ({ ...data, self_assessment: selfAssessment(targets, v) }), fields: [
          { name: "period", label: { vi: "Kỳ sơ kết", en: "Period" }, value: `${year}-H1`,
            options: [[`${year}-H1`, periodName(`${year}-H1`)], [`${year}-H2`, periodName(`${year}-H2`)]] },
          { name: "held_on", label: { vi: "Ngày sơ kết", en: "Held on" }, type: "date" },
          { name: "summary", label: { vi: "Tóm tắt kết quả", en: "Summary" }, type: "textarea" },
          { name: "findings", label: { vi: "Kết quả tự kiểm tra, giám sát (mỗi dòng một ý)", en: "Self-inspection findings (one a line)" }, list: true },
          ...selfAssessmentFields(targets),
          { name: "evidence", label: EVIDENCE, list: true }] }),
      review ? null : commandForm({ id: "annual", title: { vi: "Tổng kết năm, khen thưởng và đề nghị cấp trên (R2.5, R2.7)",
        en: "Annual review, rewards and proposals upward (R2.5, R2.7)" },
      service: "reviews", command: "hold-annual-review", fixed: { union_id: u.id }, done: refresh,
      shape: (data, v) => ({ ...data, award_ids: chosen(v, "award_ids"), nomination_ids: chosen(v, "nomination_ids"),
        self_assessment: selfAssessment(targets, v) }),
      fields: [
        { name: "year", label: YEAR, number: true, value: year },
        { name: "held_on", label: { vi: "Ngày tổng kết", en: "Held on" }, type: "date" },
        { name: "results", label: { vi: "Kết quả phong trào trong năm", en: "Results of the year" }, type: "textarea" },
        { name: "self_score", label: { vi: "Điểm tự chấm (thang 100)", en: "Self-assessed score (of 100)" }, number: true },
        ...linkFields(links),
        ...selfAssessmentFields(targets),
        { name: "evidence", label: EVIDENCE, list: true }] })));
}

// --- R2.6: the lower unions' classification, its corrections and the score gap -----------------

const GRADES = { vung_manh: { vi: "Công đoàn vững mạnh", en: "Strong" }, tot: { vi: "Hoàn thành tốt nhiệm vụ", en: "Good" },
  kha: { vi: "Khá", en: "Fair" }, trung_binh: { vi: "Trung bình", en: "Average" }, yeu: { vi: "Yếu", en: "Weak" } };
const score = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("vi-VN"));

// R2.6: how the upper union classified this union for the year, once it has.
async function ownClassification(shell, u, year) {
  let c = null;
  try {
    c = await get("reviews", "get-classification", { union_id: u.id, year });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
  }
  const grade = { vi: "Xếp loại", en: "Grade" };
  return facts({ vi: `Kết quả xếp loại năm ${year}`, en: `Classification for ${year}` }, c ? [
    [grade, h("span", { "data-grade": c.grade }, L(GRADES[c.grade] || c.grade))],
    [{ vi: "Cấp trên xếp loại", en: "Classified by" }, await shell.unionName(c.upper_union_id)],
    [{ vi: "Ngày xếp loại", en: "Classified on" }, vnDate(c.classified_on)],
    [{ vi: "Điểm tự chấm", en: "Self-assessed score" }, score(c.self_score)],
    [{ vi: "Điểm cấp trên thẩm định", en: "Appraised score" }, score(c.appraised_score)],
    c.findings.length ? [{ vi: "Nhận xét", en: "Findings" }, c.findings.join("; ")] : null,
  ] : [[grade, L({ vi: "Cấp trên chưa xếp loại", en: "Not yet classified by the upper union" })]], { id: "own-classification" });
}

async function classificationsScreen(shell, y) {
  const u = shell.ctx.union, year = Number(y) || thisYear() - 1;
  const gap = await get("reviews", "score-gap", { year, upper_union_id: u.id });
  const rows = await Promise.all(gap.unions.map(async (r) => ({ ...r, name: await shell.unionName(r.union_id) })));
  shell.page(`${L({ vi: "Xếp loại công đoàn cấp dưới", en: "Classification of the unions below" })} — ${u.name}`,
    yearPicker("#/classifications", year),
    listCard("classifications", { vi: `Kết quả xếp loại năm ${year}`, en: `Classification of ${year}` },
      [{ vi: "Đơn vị", en: "Union" }, { vi: "Xếp loại", en: "Grade" }, { vi: "Điểm tự chấm", en: "Self-assessed" },
        { vi: "Điểm thẩm định", en: "Appraised" }, { vi: "Chênh lệch", en: "Gap" }],
      rows.map((r) => [r.name, h("span", { "data-grade": r.grade }, L(GRADES[r.grade] || r.grade)), score(r.self_score),
        score(r.appraised_score), h("span", { class: r.lenient ? "badge overdue" : "" }, score(r.gap))]),
      { vi: "Chưa xếp loại đơn vị nào.", en: "No union classified yet." }),
    rows.length ? commandForm({ id: "correct-classification", title: { vi: "Phúc tra, điều chỉnh xếp loại (R2.6)", en: "Correct a classification (R2.6)" },
      service: "reviews", command: "correct-classification", done: () => classificationsScreen(shell, year),
      fixed: { upper_union_id: u.id, year }, fields: [
        { name: "union_id", label: { vi: "Đơn vị", en: "Union" }, options: options(rows.map((r) => [r.union_id, r.name])) },
        { name: "corrected_on", label: { vi: "Ngày điều chỉnh", en: "Corrected on" }, type: "date" },
        { name: "appraised_score", label: { vi: "Điểm thẩm định mới", en: "New appraised score" }, number: true },
        { name: "reason", label: { vi: "Lý do điều chỉnh", en: "Reason" }, type: "textarea" },
        { name: "findings", label: { vi: "Nhận xét (mỗi dòng một ý)", en: "Findings (one a line)" }, list: true },
        { name: "number", label: { vi: "Số văn bản", en: "Document number" } }] }) : null);
}

// --- R2.8: difficulties reported to the Policy–Law department ----------------------------------

const ANSWERED = (d) => h("span", { class: `badge ${d.answered ? "held" : "due"}`, "data-answered": String(d.answered) },
  L(d.answered ? { vi: "Đã trả lời", en: "Answered" } : { vi: "Chờ trả lời", en: "Awaiting an answer" }));

async function difficultiesScreen(shell) {
  const u = shell.ctx.union;
  const federation = u.level === "provincial_federation";
  const [mine, received] = await Promise.all([get("reviews", "difficulties", { union_id: u.id }),
    federation ? get("reviews", "difficulties", { federation_id: u.id }) : []]);
  const heads = [{ vi: "Vấn đề", en: "Subject" }, { vi: "Ngày báo cáo", en: "Reported on" },
    { vi: "Trao đổi gần nhất", en: "Last message" }, { vi: "Tình trạng", en: "Status" }];
  const row = async (d, withUnion) => [h("a", { href: `#/difficulty/${d.id}` }, d.subject),
    ...(withUnion ? [await shell.unionName(d.union_id)] : []), vnDate(d.reported_on), vnDate(d.last_on), ANSWERED(d)];
  shell.page(L({ vi: "Khó khăn, vướng mắc", en: "Difficulties" }),
    federation ? listCard("received", { vi: "Khó khăn, vướng mắc các đơn vị gửi Ban Chính sách – Pháp luật",
      en: "Difficulties received by the Policy–Law department" },
    [heads[0], { vi: "Đơn vị", en: "Union" }, ...heads.slice(1)], await Promise.all(received.map((d) => row(d, true)))) : null,
    shell.committee() ? commandForm({ id: "report-difficulty",
      title: { vi: "Báo cáo khó khăn lên Ban Chính sách – Pháp luật LĐLĐ tỉnh (R2.8)", en: "Report a difficulty to the Policy–Law department (R2.8)" },
      service: "reviews", command: "report-difficulty", fixed: { union_id: u.id },
      done: (id) => { location.hash = `#/difficulty/${id}`; }, fields: [
        { name: "reported_on", label: { vi: "Ngày báo cáo", en: "Reported on" }, type: "date" },
        { name: "subject", label: { vi: "Vấn đề", en: "Subject" } },
        { name: "description", label: { vi: "Nội dung khó khăn, vướng mắc", en: "Description" }, type: "textarea" }] }) : null,
    shell.committee() ? listCard("difficulties", { vi: "Khó khăn, vướng mắc đơn vị đã báo cáo", en: "Difficulties reported" },
      heads, await Promise.all(mine.map((d) => row(d, false)))) : null);
}

async function difficultyScreen(shell, id) {
  const d = await get("reviews", "get-difficulty", { difficulty_id: id });
  const u = shell.ctx.union;
  const refresh = () => difficultyScreen(shell, id);
  // Who wrote: the seat the message was written from (a position on a body of a union).
  const who = async (by) => (by && by.union_id
    ? `${by.position ? `${L(POSITIONS[by.position] || by.position)}, ` : ""}${await shell.unionName(by.union_id)}` : "");
  const thread = await Promise.all(d.thread.map(async (m) => h("div", { class: "comment", "data-kind": m.kind },
    h("div", { class: "muted" }, [L(THREAD[m.kind] || m.kind), vnDate(m.on), await who(m.by)].filter(Boolean).join(" · ")), m.text)));
  const answered = d.thread.some((m) => m.kind === "answer");
  shell.page(`${L({ vi: "Khó khăn, vướng mắc", en: "Difficulty" })}: ${d.subject}`,
    facts(null, [[{ vi: "Đơn vị báo cáo", en: "Reported by" }, await shell.unionName(d.union_id)],
      [{ vi: "Nơi nhận", en: "To" }, `${L({ vi: "Ban Chính sách – Pháp luật", en: "Policy–Law department" })}, ${await shell.unionName(d.federation_id)}`],
      [{ vi: "Ngày báo cáo", en: "Reported on" }, vnDate(d.reported_on)],
      [{ vi: "Tình trạng", en: "Status" }, h("span", { class: `badge ${answered ? "held" : "due"}`, id: "difficulty-status" },
        L(answered ? { vi: "Đã trả lời", en: "Answered" } : { vi: "Chờ trả lời", en: "Awaiting an answer" }))]],
    { id: "difficulty" }),
    h("div", { class: "card", id: "thread" }, h("h2", {}, L({ vi: "Trao đổi", en: "Thread" })), thread),
    h("div", { class: "grid" },
      u && u.id === d.federation_id && shell.role() !== "auditor" ? commandForm({ id: "answer",
        title: { vi: "Trả lời (Ban Chính sách – Pháp luật)", en: "Answer (Policy–Law department)" },
        service: "reviews", command: "answer-difficulty", fixed: { difficulty_id: id }, done: refresh, fields: [
          { name: "answered_on", label: { vi: "Ngày trả lời", en: "Answered on" }, type: "date" },
          { name: "answer", label: { vi: "Nội dung trả lời", en: "Answer" }, type: "textarea" }] }) : null,
      u && u.id === d.union_id && shell.committee() ? commandForm({ id: "follow-up",
        title: { vi: "Trao đổi thêm", en: "Follow up" },
        service: "reviews", command: "follow-up-difficulty", fixed: { difficulty_id: id }, done: refresh, fields: [
          { name: "on", label: { vi: "Ngày", en: "Date" }, type: "date" },
          { name: "text", label: { vi: "Nội dung", en: "Text" }, type: "textarea" }] }) : null));
}

export function register(shell) {
  const acting = () => shell.committee() && shell.ctx.union;
  shell.route(/^#\/movement(?:\/(\d{4}))?$/, (y) => movementScreen(shell, y));
  shell.route(/^#\/reviews(?:\/(\d{4}))?$/, (y) => reviewsScreen(shell, y));
  shell.route(/^#\/classifications(?:\/(\d{4}))?$/, (y) => classificationsScreen(shell, y));
  shell.route(/^#\/difficulties$/, () => difficultiesScreen(shell));
  shell.route(/^#\/difficulty\/([\w-]+)$/, (id) => difficultyScreen(shell, id));
  shell.menuItem("#/movement", { vi: "Phát động, giao ước", en: "Launch, pledge" }, acting);
  shell.menuItem("#/reviews", { vi: "Sơ kết, tổng kết", en: "Reviews" }, acting);
  shell.menuItem("#/classifications", { vi: "Xếp loại cấp dưới", en: "Classification" },
    () => shell.committee() && shell.ctx.union && shell.ctx.union.level !== "grassroots");
  // The committees report; the Policy–Law department's officials, at the federation, answer.
  shell.menuItem("#/difficulties", { vi: "Khó khăn, vướng mắc", en: "Difficulties" }, () => shell.ctx.union
    && (shell.committee() || (shell.role() === "official" && shell.ctx.union.level === "provincial_federation")));
}

