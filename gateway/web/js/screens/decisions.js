// The committee's decisions that have no page of their own elsewhere: refusing an initiative
// with its reasons and accepting a topic (R3.7), adopting another union's recognised initiative
// and reporting what its replication brought (R3.8), the attestations an award needs
// (R4.1 d, R4.2 b) with the criteria checked, and revoking an award (R4.5).
import { get, getPage } from "../api.js";
import { h, table } from "../ui.js";
import { L, commandForm, facts, listCard, options, thisYear, vnDate, vnd } from "./kit.js";

const EVIDENCE = { vi: "Văn bản kèm theo (mỗi dòng một tệp)", en: "Documents (one file a line)" };
const NUMBER = { vi: "Số quyết định", en: "Decision number" };
const KIND = { initiative: { vi: "Sáng kiến", en: "Initiative" }, topic: { vi: "Đề tài", en: "Topic" } };
const STATUS = { registered: { vi: "Đã đăng ký", en: "Registered" }, evaluated: { vi: "Đã chấm điểm", en: "Evaluated" },
  accepted: { vi: "Đã nghiệm thu", en: "Accepted" }, recognised: { vi: "Được công nhận", en: "Recognised" },
  refused: { vi: "Không công nhận", en: "Refused" }, revoked: { vi: "Đã thu hồi", en: "Revoked" },
  awarded: { vi: "Đang có hiệu lực", en: "In force" } };
// An award's form: a code of the catalogue, or the catalogue's record of it.
const formName = (titles, f) => (f && typeof f === "object" ? f.title || titles[f.code] || f.code : titles[f] || f);
const status = (s) => h("span", { class: `badge ${s}`, "data-status": s }, L(STATUS[s] || s));
// The grounds of Law 06/2022 for revoking an award (the awards rule book's revocation_grounds).
const GROUNDS = [
  ["false_declaration", { vi: "Gian dối trong việc kê khai thành tích", en: "False declaration of achievements" }],
  ["forged_documents", { vi: "Giả mạo hồ sơ, giấy tờ", en: "Forged documents" }],
  ["unlawful_procedure", { vi: "Đề nghị, xét, quyết định khen thưởng trái pháp luật", en: "Unlawful proposal or decision" }],
  ["standards_not_met", { vi: "Không đủ tiêu chuẩn khen thưởng", en: "Standards not met" }],
];
// The grounds on which a recognised initiative is revoked (the initiatives rule book).
const INITIATIVE_GROUNDS = [
  ["false_declaration", { vi: "Kê khai không trung thực", en: "False declaration" }],
  ["not_new", { vi: "Không có tính mới", en: "Not new" }],
  ["not_applied", { vi: "Không được áp dụng", en: "Not applied" }],
  ["infringes_rights", { vi: "Xâm phạm quyền của người khác", en: "Infringes others' rights" }],
  ["unlawful_procedure", { vi: "Xét công nhận trái quy định", en: "Unlawful procedure" }],
];
const SCOPES = [["direct_superior", { vi: "Cấp trên trực tiếp cơ sở", en: "Direct-superior level" }],
  ["province", { vi: "Cấp tỉnh", en: "Province" }]];
const SCOPE_OF_LEVEL = { direct_superior: "direct_superior", provincial_federation: "province" };

// What an unmet criterion lacks (the awards service's "missing" items).
const LACKS = {
  launch: { vi: "chưa phát động phong trào", en: "no launch" },
  dissemination: { vi: "chưa có hoạt động tuyên truyền", en: "no dissemination" },
  registration: { vi: "chưa tổ chức đăng ký đề tài, sáng kiến", en: "no registration" },
  pledge: { vi: "chưa ký giao ước thi đua", en: "no pledge" },
  half_year_review: { vi: "chưa sơ kết 6 tháng", en: "no half-year review" },
  annual_review: { vi: "chưa tổng kết năm", en: "no annual review" },
  initiative_decisions: { vi: "chưa xét duyệt, nghiệm thu đề tài, sáng kiến", en: "no initiative decided" },
  decisions_overdue: { vi: "có đăng ký quá hạn chưa quyết định", en: "registrations left undecided past their limit" },
  effective_individuals: { vi: "chưa đủ số cá nhân có sáng kiến hiệu quả", en: "too few effective individuals" },
  classification: { vi: "chưa được xếp loại vững mạnh hoặc hoàn thành tốt nhiệm vụ", en: "not classified strong or good" },
  effective_initiative: { vi: "chưa có sáng kiến được áp dụng, hiệu quả cao", en: "no effective initiative" },
  attestation: { vi: "chưa có xác nhận của tổ chức công đoàn", en: "not attested" },
  province_wide_reach: { vi: "chưa có phạm vi ảnh hưởng toàn tỉnh", en: "no province-wide reach" },
};

// --- R3.7: refusing with reasons, accepting a topic --------------------------------------------

// What awaits the committee: at a grassroots union its own registrations not yet decided; at
// an upper union the initiatives proposed to it from below (R3.6) not yet decided.
async function pendingScreen(shell) {
  const u = shell.ctx.union;
  const heads = [{ vi: "Số đăng ký", en: "Reference" }, { vi: "Tên", en: "Name" }, { vi: "Tình trạng", en: "Status" },
    { vi: "Ngày đăng ký", en: "Registered" }, { vi: "Hạn quyết định", en: "Decide by" }];
  if (u.level !== "grassroots") {
    const units = (await shell.subtree()).filter((x) => x.level === "grassroots");
    const books = await Promise.all(units.map((x) => getPage("initiatives", "tracking-book",
      { union_id: x.id, status: "recognised", limit: 200 }).catch(() => ({ items: [] }))));
    const records = await Promise.all(books.flatMap((b) => b.items).map((e) =>
      get("initiatives", "get-initiative", { initiative_id: e.initiative_id })));
    // A proposal waits while it is on the record; a decision at the level clears it.
    const proposed = records.filter((i) => i.proposal && i.proposal.to_union_id === u.id);
    shell.page(`${L({ vi: "Xét công nhận sáng kiến cấp dưới đề nghị", en: "Initiatives proposed from below" })} — ${u.name}`,
      listCard("pending", { vi: "Sáng kiến cấp dưới đề nghị công nhận, nhân rộng", en: "Proposed for recognition and replication" },
        [heads[0], heads[1], { vi: "Đơn vị", en: "Union" }, { vi: "Ngày đề nghị", en: "Proposed on" }],
        await Promise.all(proposed.map(async (i) => [i.reference, h("a", { href: `#/decide/${i.id}` }, i.name),
          await shell.unionName(i.union_id), vnDate((i.proposal.decision || {}).decided_on || "")])),
        { vi: "Không có đề nghị nào chờ xét.", en: "No proposal awaits a decision." }));
    return;
  }
  const book = await getPage("initiatives", "tracking-book", { union_id: u.id, limit: 200 });
  const open = book.items.filter((e) => ["registered", "evaluated"].includes(e.status));
  const recognised = book.items.filter((e) => e.status === "recognised");
  shell.page(`${L({ vi: "Xét duyệt, nghiệm thu đề tài, sáng kiến", en: "Review and acceptance" })} — ${u.name}`,
    listCard("pending", { vi: "Đề tài, sáng kiến chờ quyết định", en: "Awaiting a decision" }, heads,
      open.map((e) => [e.reference, h("a", { href: `#/decide/${e.initiative_id}` }, e.name), status(e.status),
        vnDate(e.registered_on), vnDate(e.decide_by)]),
      { vi: "Không có đề tài, sáng kiến nào chờ quyết định.", en: "Nothing awaits a decision." }),
    listCard("recognised", { vi: "Sáng kiến đã công nhận (thu hồi khi có căn cứ)", en: "Recognised (revocable on a ground)" },
      [heads[0], heads[1], { vi: "Ngày quyết định", en: "Decided on" }],
      recognised.map((e) => [e.reference, h("a", { href: `#/decide/${e.initiative_id}` }, e.name), vnDate(e.decided_on || "")])));
}

async function decideScreen(shell, id) {
  const i = await get("initiatives", "get-initiative", { initiative_id: id });
  const refresh = () => decideScreen(shell, id);
  const undecided = ["registered", "evaluated"].includes(i.status);
  const own = shell.ctx.union && shell.ctx.union.id === i.union_id && shell.committee();
  const proposedToUs = shell.ctx.union && shell.committee() && i.status === "recognised" && i.proposal
    && i.proposal.to_union_id === shell.ctx.union.id;
  const evaluation = i.evaluation ? [[{ vi: "Kết quả chấm điểm của hội đồng", en: "Council's evaluation" },
    vnDate(i.evaluation.on)]] : [];
  const decision = i.acceptance ? [[{ vi: "Kết quả nghiệm thu", en: "Acceptance" },
    `${vnDate(i.acceptance.on)}: ${i.acceptance.result}`]] : [];
  shell.page(`${i.reference} — ${i.name}`,
    facts(null, [[{ vi: "Loại", en: "Kind" }, L(KIND[i.kind] || i.kind)], [{ vi: "Tình trạng", en: "Status" }, status(i.status)],
      [{ vi: "Đơn vị", en: "Union" }, await shell.unionName(i.union_id)],
      [{ vi: "Ngày đăng ký", en: "Registered on" }, vnDate(i.registered_on)],
      [{ vi: "Hạn quyết định", en: "Decide by" }, vnDate(i.decide_by)], ...evaluation, ...decision,
      [{ vi: "Hồ sơ đầy đủ", en: "Full record" }, h("a", { href: `#/initiative/${id}` }, L({ vi: "Mở trang sáng kiến", en: "Open the initiative" }))]],
    { id: "decision-subject" }),
    h("div", { class: "grid" },
      own && i.kind === "topic" && i.status === "evaluated" ? commandForm({ id: "accept-topic",
        title: { vi: "Nghiệm thu đề tài (R3.7)", en: "Accept the topic (R3.7)" },
        service: "initiatives", command: "accept-topic", fixed: { initiative_id: id }, done: refresh, fields: [
          { name: "on", label: { vi: "Ngày nghiệm thu", en: "Accepted on" }, type: "date" },
          { name: "result", label: { vi: "Kết quả nghiệm thu", en: "Result" }, type: "textarea" },
          { name: "reason", label: { vi: "Căn cứ, lý do", en: "Grounds" } },
          { name: "number", label: NUMBER }] }) : null,
      own && undecided ? commandForm({ id: "refuse",
        title: { vi: "Không công nhận, nêu rõ lý do (R3.7)", en: "Refuse, with reasons (R3.7)" },
        service: "initiatives", command: "refuse", fixed: { initiative_id: id }, done: refresh, fields: [
          { name: "decided_on", label: { vi: "Ngày quyết định", en: "Decided on" }, type: "date" },
          { name: "reasons", label: { vi: "Lý do không công nhận", en: "Reasons" }, type: "textarea" },
          { name: "number", label: NUMBER },
          { name: "evidence", label: EVIDENCE, list: true }] }) : null,
      proposedToUs ? commandForm({ id: "decline-at-level",
        title: { vi: "Không công nhận ở cấp mình, nêu rõ lý do", en: "Decline at this level, with reasons" },
        service: "initiatives", command: "decline-at-level", fixed: { initiative_id: id }, done: refresh, fields: [
          { name: "scope", label: { vi: "Cấp", en: "Level" }, options: options(SCOPES, null),
            value: SCOPE_OF_LEVEL[shell.ctx.union.level] },
          { name: "decided_on", label: { vi: "Ngày quyết định", en: "Decided on" }, type: "date" },
          { name: "reasons", label: { vi: "Lý do", en: "Reasons" }, type: "textarea" },
          { name: "number", label: NUMBER }] }) : null,
      own && i.status === "recognised" ? commandForm({ id: "revoke-initiative",
        title: { vi: "Thu hồi quyết định công nhận sáng kiến", en: "Revoke the recognition" },
        service: "initiatives", command: "revoke", fixed: { initiative_id: id }, done: refresh, fields: [
          { name: "decided_on", label: { vi: "Ngày quyết định", en: "Decided on" }, type: "date" },
          { name: "ground", label: { vi: "Căn cứ thu hồi", en: "Ground" }, options: options(INITIATIVE_GROUNDS) },
          { name: "reason", label: { vi: "Lý do", en: "Reason" }, type: "textarea" },
          { name: "number", label: NUMBER },
          { name: "evidence", label: EVIDENCE, list: true }] }) : null));
}

// --- R3.8: adoption and replication results ----------------------------------------------------

async function replicationListScreen(shell) {
  const u = shell.ctx.union;
  const mine = await get("initiatives", "replications", { union_id: u.id });
  shell.page(`${L({ vi: "Nhân rộng sáng kiến", en: "Replication" })} — ${u.name}`,
    listCard("adopted", { vi: "Sáng kiến đơn vị đã áp dụng", en: "Initiatives adopted" },
      [{ vi: "Số đăng ký", en: "Reference" }, { vi: "Sáng kiến", en: "Initiative" }, { vi: "Ngày áp dụng", en: "Adopted on" },
        { vi: "Số lần báo cáo kết quả", en: "Results reported" }, { vi: "Giá trị làm lợi", en: "Value saved" }],
      mine.map((r) => [r.reference, h("a", { href: `#/replication/${r.initiative_id}` }, r.name), vnDate(r.adopted_on),
        String(r.results), vnd(r.value_saved_vnd)])),
    shell.committee() ? commandForm({ id: "adopt", title: { vi: "Áp dụng sáng kiến của đơn vị khác (R3.8)", en: "Adopt another union's initiative (R3.8)" },
      service: "initiatives", command: "adopt", fixed: { union_id: u.id },
      done: (_, data) => { location.hash = `#/replication/${data.initiative_id}`; }, fields: [
        { name: "initiative_id", label: { vi: "Số hiệu sáng kiến được nhân rộng", en: "Number of the initiative" },
          hint: { vi: "Theo thông báo nhân rộng của công đoàn cấp trên.", en: "As in the upper union's notice." } },
        { name: "adopted_on", label: { vi: "Ngày quyết định áp dụng", en: "Adopted on" }, type: "date" },
        { name: "reason", label: { vi: "Lý do áp dụng", en: "Reason" } },
        { name: "note", label: { vi: "Ghi chú (bộ phận, phạm vi áp dụng)", en: "Note" }, type: "textarea" }] }) : null);
}

async function replicationScreen(shell, iid) {
  const u = shell.ctx.union;
  const r = await get("initiatives", "get-replication", { initiative_id: iid, union_id: u.id });
  const refresh = () => replicationScreen(shell, iid);
  const results = r.results || [];
  shell.page(L({ vi: "Kết quả nhân rộng sáng kiến", en: "Replication results" }),
    facts(null, [[{ vi: "Đơn vị áp dụng", en: "Adopting union" }, await shell.unionName(r.union_id)],
      [{ vi: "Ngày áp dụng", en: "Adopted on" }, vnDate(r.adopted_on)],
      [{ vi: "Ghi chú", en: "Note" }, r.note || ""],
      [{ vi: "Tổng giá trị làm lợi", en: "Total value saved" }, vnd(results.reduce((n, x) => n + (x.value_saved_vnd || 0), 0))]],
    { id: "replication" }),
    listCard("results", { vi: "Các lần báo cáo kết quả", en: "Results reported" },
      [{ vi: "Ngày báo cáo", en: "Reported on" }, { vi: "Hiệu quả", en: "Benefit" }, { vi: "Giá trị làm lợi", en: "Value saved" }],
      results.map((x) => [vnDate(x.reported_on), x.benefit, vnd(x.value_saved_vnd)])),
    commandForm({ id: "replication-report", title: { vi: "Báo cáo kết quả nhân rộng (R3.8)", en: "Report replication results (R3.8)" },
      service: "initiatives", command: "report-replication", fixed: { initiative_id: iid, union_id: u.id }, done: refresh, fields: [
        { name: "reported_on", label: { vi: "Ngày báo cáo", en: "Reported on" }, type: "date" },
        { name: "benefit", label: { vi: "Hiệu quả đạt được", en: "Benefit" }, type: "textarea" },
        { name: "value_saved_vnd", label: { vi: "Giá trị làm lợi (đồng)", en: "Value saved (đồng)" }, number: true }] }));
}

// --- R4.1 d, R4.2 b: attestations, and the criteria checked ------------------------------------

async function candidates(shell) {
  const u = shell.ctx.union;
  const units = await shell.subtree();
  const people = u.level === "grassroots" ? await shell.unionMembers(u.id) : [];
  return { units, people };
}

async function attestScreen(shell, subjectId, y) {
  const u = shell.ctx.union;
  const { units, people } = await candidates(shell);
  const params = new Map([["subject_id", subjectId], ["year", y]]);
  const subjectOptions = [...people.map((p) => [p.id, `${p.full_name} (${L({ vi: "cá nhân", en: "individual" })})`]),
    ...units.map((x) => [x.id, `${x.name} (${L({ vi: "tập thể", en: "collective" })})`])];
  const kindOf = (id) => (people.some((p) => p.id === id) ? "individual" : "collective");
  const chosen = params.get("subject_id");
  let criteria = null;
  if (chosen) {
    const result = await get("awards", "evaluate", { subject: kindOf(chosen), subject_id: chosen,
      year: params.get("year") || thisYear() - 1 });
    criteria = listCard("criteria", { vi: `Tiêu chuẩn khen thưởng năm ${result.year ?? params.get("year")}`, en: "Award criteria" },
      [{ vi: "Tiêu chuẩn", en: "Criterion" }, { vi: "Đạt", en: "Met" }, { vi: "Căn cứ", en: "Why" }],
      (result.criteria || []).map((c) => [`${c.requirement ? `${c.requirement} ` : ""}${c.title || ""}`,
        h("span", { class: `badge ${c.met ? "held" : "overdue"}`, "data-criterion": c.code },
          L(c.met ? { vi: "Đạt", en: "Met" } : { vi: "Chưa đạt", en: "Not met" })),
        c.met ? L({ vi: `${(c.evidence || []).length} căn cứ`, en: `${(c.evidence || []).length} pieces of evidence` })
          : (c.missing || []).map((m) => L(LACKS[m] || { vi: "chưa đủ căn cứ", en: "not shown" })).join("; ")]));
  }
  const check = h("form", { class: "card", id: "check-criteria", "data-lookup": true, onsubmit: (e) => {
    e.preventDefault();
    const f = e.target.elements;
    location.hash = `#/attest/${f.check_subject.value}/${f.check_year.value}`;
  } }, h("h2", {}, L({ vi: "Kiểm tra tiêu chuẩn khen thưởng (R4.1, R4.2)", en: "Check the criteria (R4.1, R4.2)" })),
  h("div", { class: "row" }, h("label", { for: "f-check_subject" }, L({ vi: "Cá nhân, tập thể", en: "Individual or collective" })),
    h("select", { id: "f-check_subject", name: "check_subject" }, options(subjectOptions).map(([v, text]) =>
      h("option", { value: v, selected: v === chosen }, text)))),
  h("div", { class: "row" }, h("label", { for: "f-check_year" }, L({ vi: "Năm thành tích", en: "Year of achievement" })),
    h("input", { id: "f-check_year", name: "check_year", type: "number", value: params.get("year") || thisYear() - 1 })),
  h("div", { class: "actions" }, h("button", { type: "submit" }, L({ vi: "Kiểm tra", en: "Check" }))));
  shell.page(`${L({ vi: "Xác nhận tiêu chuẩn khen thưởng", en: "Attestations" })} — ${u.name}`,
    h("div", { class: "grid" },
      commandForm({ id: "attest", title: { vi: "Xác nhận nội bộ đoàn kết, chấp hành chủ trương, pháp luật (R4.1 d, R4.2 b)",
        en: "Attest unity and compliance (R4.1 d, R4.2 b)" },
      service: "awards", command: "attest", fixed: (data) => ({ union_id: u.id, subject: kindOf(data.subject_id) }),
      done: async (_, data) => {
        const target = `#/attest/${data.subject_id}/${data.year}`;
        if (location.hash === target) await attestScreen(shell, data.subject_id, data.year);
        else location.hash = target;
      },
      fields: [
        { name: "subject_id", label: { vi: "Cá nhân, tập thể được xác nhận", en: "Individual or collective" },
          options: options(subjectOptions), value: chosen || "" },
        { name: "year", label: { vi: "Năm thành tích", en: "Year of achievement" }, number: true, value: params.get("year") || thisYear() - 1 },
        { name: "attested_on", label: { vi: "Ngày xác nhận", en: "Attested on" }, type: "date" },
        { name: "statement", label: { vi: "Nội dung xác nhận", en: "Statement" }, type: "textarea",
          value: L({ vi: "Nội bộ đoàn kết; chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước, quy định của Công đoàn",
            en: "United; complies with the Party's policies, the State's laws and the union's rules" }) },
        { name: "evidence", label: EVIDENCE, list: true },
        { name: "met", label: { vi: "Kết luận", en: "Conclusion" }, bool: true, value: true,
          text: { vi: "Đạt tiêu chuẩn", en: "Meets the standard" } }] }),
      h("div", {}, check, criteria)));
}

// --- R4.5: revoking an award -------------------------------------------------------------------

async function awardsToRevokeScreen(shell) {
  const u = shell.ctx.union;
  const [awards, catalogue] = await Promise.all([get("awards", "awards", { union_id: u.id }), get("awards", "forms", {})]);
  const title = Object.fromEntries(catalogue.forms.map((f) => [f.code, f.title]));
  shell.page(`${L({ vi: "Thu hồi khen thưởng", en: "Revoke an award" })} — ${u.name}`,
    listCard("awards-made", { vi: "Quyết định khen thưởng của đơn vị", en: "Awards decided here" },
      [{ vi: "Số quyết định", en: "Number" }, { vi: "Hình thức", en: "Form" }, { vi: "Ngày quyết định", en: "Decided on" }, { vi: "Tình trạng", en: "Status" }],
      awards.map((a) => [h("a", { href: `#/revoke/${a.award_id}` }, a.number), formName(title, a.form), vnDate(a.decided_on),
        status(a.status || "awarded")])));
}

// The revocation of one awardee: its decision's date and number, its ground, what is recovered.
function revocation(award, awardee) {
  const r = (award.revocations || {})[awardee.subject_id];
  if (!r) return "";
  const d = r.decision || {};
  const ground = L((GROUNDS.find(([g]) => g === r.ground) || [])[1] || r.ground);
  const money = r.recovery && r.recovery.money_vnd ? `; ${L({ vi: "thu hồi", en: "recovered" })} ${vnd(r.recovery.money_vnd)}` : "";
  return `${d.number ? `${d.number}, ` : ""}${vnDate(d.decided_on || d.on || "")}: ${ground}${money}`;
}

async function revokeScreen(shell, id) {
  const [a, catalogue] = await Promise.all([get("awards", "get-award", { award_id: id }), get("awards", "forms", {})]);
  const title = Object.fromEntries(catalogue.forms.map((f) => [f.code, f.title]));
  const refresh = () => revokeScreen(shell, id);
  const named = await Promise.all(a.awardees.map(async (x) => [x.subject_id,
    x.subject === "individual" ? await shell.personName(x.subject_id) : await shell.unionName(x.subject_id), x]));
  const standing = named.filter(([, , x]) => x.status !== "revoked");
  shell.page(`${L({ vi: "Thu hồi khen thưởng", en: "Revoke an award" })}: ${a.number}`,
    facts(null, [[{ vi: "Hình thức", en: "Form" }, formName(title, a.form)],
      [{ vi: "Đơn vị quyết định", en: "Decided by" }, await shell.unionName(a.union_id)],
      [{ vi: "Ngày quyết định", en: "Decided on" }, vnDate(a.decided_on)]], { id: "award-revoked" }),
    h("div", { class: "card", id: "awardees" }, h("h2", {}, L({ vi: "Người, tập thể được khen", en: "Awardees" })),
      table([L({ vi: "Tên", en: "Name" }), L({ vi: "Tình trạng", en: "Status" }), L({ vi: "Thu hồi", en: "Revocation" })],
        named.map(([, name, x]) => [name, status(x.status || "awarded"),
          revocation(a, x)]))),
    standing.length && shell.committee() ? commandForm({ id: "revoke", title: { vi: "Quyết định thu hồi", en: "Revocation decision" },
      service: "awards", command: "revoke-award", fixed: { award_id: id }, done: refresh, fields: [
        { name: "subject_id", label: { vi: "Người, tập thể bị thu hồi", en: "Awardee" },
          options: options(standing.map(([sid, name]) => [sid, name]), null) },
        { name: "revoked_on", label: { vi: "Ngày quyết định thu hồi", en: "Revoked on" }, type: "date" },
        { name: "ground", label: { vi: "Căn cứ thu hồi", en: "Ground" }, options: options(GROUNDS) },
        { name: "reason", label: { vi: "Lý do", en: "Reason" }, type: "textarea" },
        { name: "number", label: NUMBER },
        { name: "recovery.certificate", label: { vi: "Thu hồi hiện vật", en: "Certificate recovered" }, bool: true, value: true,
          text: { vi: "Thu hồi bằng, giấy khen", en: "Recover the certificate" } },
        { name: "recovery.money_vnd", label: { vi: "Số tiền thưởng thu hồi (đồng)", en: "Money recovered (đồng)" }, number: true, value: 0 },
        { name: "recovery.note", label: { vi: "Ghi chú thu hồi", en: "Note" } },
        { name: "evidence", label: EVIDENCE, list: true }] }) : null);
}

export function register(shell) {
  shell.route(/^#\/decisions$/, () => pendingScreen(shell));
  shell.route(/^#\/decide\/([\w-]+)$/, (id) => decideScreen(shell, id));
  shell.route(/^#\/replication$/, () => replicationListScreen(shell));
  shell.route(/^#\/replication\/([\w-]+)$/, (id) => replicationScreen(shell, id));
  shell.route(/^#\/attest(?:\/([\w-]+)\/(\d{4}))?$/, (id, y) => attestScreen(shell, id, y));
  shell.route(/^#\/revoke$/, () => awardsToRevokeScreen(shell));
  shell.route(/^#\/revoke\/([\w-]+)$/, (id) => revokeScreen(shell, id));
  shell.menuItem("#/decisions", { vi: "Xét duyệt, nghiệm thu", en: "Review, acceptance" }, () => shell.committee() && shell.ctx.union);
  shell.menuItem("#/replication", { vi: "Nhân rộng", en: "Replication" },
    () => shell.grassroots() && (shell.committee() || shell.role() === "official"));
  shell.menuItem("#/attest", { vi: "Xác nhận tiêu chuẩn", en: "Attestations" }, () => shell.committee() && shell.ctx.union);
  shell.menuItem("#/revoke", { vi: "Thu hồi khen thưởng", en: "Revoke awards" }, () => shell.committee() && shell.ctx.union);
}
