// The words of the interface, in Vietnamese (default) and English. Error messages are not
// here: they come from the API's problem details, in the language the request asked for.
const vi = {
  appName: "Đổi mới, sáng tạo, hiệu quả", signIn: "Đăng nhập", signOut: "Đăng xuất",
  username: "Tên đăng nhập", password: "Mật khẩu", other: "English",
  dashboard: "Tổng quan", ideas: "Ý tưởng", book: "Sổ theo dõi sáng kiến", register: "Đăng ký sáng kiến",
  formDesign: "Mẫu phiếu đăng ký", upper: "Đơn vị cấp dưới", awards: "Thi đua, khen thưởng",
  audit: "Kiểm tra quyết định", year: "Năm", show: "Xem",
  registered: "Đăng ký", recognised: "Được công nhận", applied: "Đã áp dụng", replicated: "Được nhân rộng",
  perUnit: "Sáng kiến theo đơn vị", perPeriod: "Sáng kiến theo quý", awardsPerLevel: "Khen thưởng theo cấp",
  reviewsDue: "Sơ kết, tổng kết: đến hạn và quá hạn", held: "Đã tổ chức", due: "Đến hạn", overdue: "Quá hạn",
  grassroots: "Cơ sở", direct_superior: "Cấp trên trực tiếp", province: "Tỉnh", provincial_federation: "Tỉnh",
  noData: "Chưa có số liệu.", raiseIdea: "Nêu ý tưởng", title: "Tiêu đề", description: "Mô tả",
  date: "Ngày", save: "Ghi nhận", myIdeas: "Ý tưởng của tôi", unionIdeas: "Ý tưởng của công đoàn",
  status: "Tình trạng", comments: "Góp ý", coach: "Góp ý, hỗ trợ (Tổ ươm mầm ý tưởng)", text: "Nội dung",
  open: "Đang ươm mầm", developed: "Đã thành sáng kiến", withdrawn: "Đã rút", saved: "Đã ghi nhận.",
  reference: "Số đăng ký", kind: "Loại", initiative: "Sáng kiến", topic: "Đề tài", authors: "Tác giả",
  share: "Tỷ lệ đóng góp (%)", formVersion: "Phiên bản mẫu", addField: "Thêm trường",
  fieldCode: "Mã trường", fieldLabel: "Tên trường", fieldType: "Kiểu", required: "Bắt buộc",
  effectiveOn: "Áp dụng từ ngày", reason: "Lý do", number: "Số quyết định",
  exportXlsx: "Xuất Excel (.xlsx)", exportCsv: "Xuất CSV", evaluated: "Đã đánh giá", accepted: "Đã nghiệm thu",
  refused: "Không công nhận", revoked: "Đã thu hồi",
  council: "Thành lập hội đồng xét sáng kiến", members: "Thành viên", evaluation: "Chấm điểm, biểu quyết",
  vote: "Biểu quyết", for: "Tán thành", against: "Không tán thành", abstain: "Không biểu quyết",
  recognise: "Công nhận sáng kiến", refuse: "Không công nhận", evidence: "Hồ sơ kèm theo (mỗi dòng một tệp)",
  application: "Báo cáo áp dụng", appliedFrom: "Áp dụng từ", benefit: "Hiệu quả", valueSaved: "Giá trị làm lợi (đồng)",
  propose: "Đề nghị cấp trên công nhận, khen thưởng, nhân rộng", recogniseAtLevel: "Công nhận ở cấp mình",
  scope: "Cấp", decideBy: "Hạn quyết định", decidedOn: "Ngày quyết định", fields: "Nội dung đăng ký",
  overdueReviews: "Đơn vị chậm sơ kết, tổng kết", unit: "Đơn vị", period: "Kỳ", dueOn: "Hạn",
  classify: "Xếp loại công đoàn cấp dưới", score: "Điểm thẩm định", findings: "Nhận xét (mỗi dòng một ý)",
  proposedToUs: "Hồ sơ đề nghị gửi lên", nominationsToUs: "Đề nghị khen thưởng gửi lên",
  nominate: "Đề nghị khen thưởng", subject: "Đối tượng", individual: "Cá nhân", collective: "Tập thể",
  person: "Người được đề nghị", form: "Hình thức", achievement: "Thành tích", carries: "Chuyển tiếp đề nghị của cấp dưới",
  selection: "Họp bình xét", attendees: "Người dự họp", votesFor: "Số phiếu tán thành", minutes: "Biên bản",
  draft: "Lập tờ trình (hồ sơ đề nghị)", nominations: "Đề nghị", submission: "Hồ sơ đề nghị",
  documents: "Tài liệu trong hồ sơ", attach: "Đính kèm tài liệu", file: "Tệp", missing: "Còn thiếu",
  complete: "Hồ sơ đã đủ thành phần.", submit: "Trình hồ sơ", returnIt: "Trả lại để bổ sung",
  submissionLetter: "Tải tờ trình (.docx)", decide: "Quyết định khen thưởng", signer: "Người ký",
  awardList: "Quyết định đã ban hành", decision: "Quyết định", printDecision: "Tải quyết định (.docx)",
  printList: "Tải danh sách (.docx)", place: "Địa danh", auditIt: "Xem lịch sử quyết định",
  recordId: "Mã hồ sơ (quyết định, sáng kiến, ý tưởng…)", timeline: "Diễn biến", authorityThen: "Thẩm quyền tại thời điểm quyết định",
  treeThen: "Cây tổ chức khi đó", treeNow: "Hiện nay", heldSeat: "Người quyết định có trong cơ quan khi đó",
  verification: "Kiểm chứng toàn vẹn dữ liệu", verified: "Toàn vẹn: không có bản ghi nào bị sửa hay xoá",
  broken: "Phát hiện sai lệch", printable: "Báo cáo in được", yes: "Có", no: "Không", by: "Người thực hiện",
  draftStatus: "Dự thảo", submitted: "Đã trình", returned: "Trả lại", decidedStatus: "Đã quyết định",
  nominated: "Đã đề nghị", selected: "Đã bình xét", awarded: "Đã khen thưởng", stage: "Bước",
  idea: "Ý tưởng", registration: "Đăng ký", proposal: "Đề nghị", dossier: "Hồ sơ", revocation: "Thu hồi",
  recognition: "Công nhận",
  total: "Tổng", none: "Không có.", choose: "— Chọn —", kindOf: {
    submission_letter: "Tờ trình", initiative_summary: "Tóm tắt sáng kiến", achievement_summary: "Báo cáo thành tích",
    recognition_decision: "Quyết định công nhận sáng kiến", minutes_extract: "Trích biên bản họp bình xét"},
  roles: { member: "Đoàn viên", official: "Cán bộ công đoàn", executive: "Ban Chấp hành",
    standing: "Ban Thường vụ", auditor: "Kiểm toán viên", administrator: "Quản trị" },
};
const en = {
  appName: "Innovation, creativity, efficiency", signIn: "Sign in", signOut: "Sign out",
  username: "Username", password: "Password", other: "Tiếng Việt",
  dashboard: "Dashboard", ideas: "Ideas", book: "Initiative tracking book", register: "Register an initiative",
  formDesign: "Registration form", upper: "Lower unions", awards: "Emulation and awards",
  audit: "Audit a decision", year: "Year", show: "Show",
  registered: "Registered", recognised: "Recognised", applied: "Applied", replicated: "Replicated",
  perUnit: "Initiatives per unit", perPeriod: "Initiatives per quarter", awardsPerLevel: "Awards per level",
  reviewsDue: "Reviews due and overdue", held: "Held", due: "Due", overdue: "Overdue",
  grassroots: "Grassroots", direct_superior: "Direct superior", province: "Province", provincial_federation: "Province",
  noData: "No figures yet.", raiseIdea: "Raise an idea", title: "Title", description: "Description",
  date: "Date", save: "Save", myIdeas: "My ideas", unionIdeas: "The union's ideas",
  status: "Status", comments: "Comments", coach: "Coach (idea incubation team)", text: "Text",
  open: "Incubating", developed: "Became an initiative", withdrawn: "Withdrawn", saved: "Saved.",
  reference: "Reference", kind: "Kind", initiative: "Initiative", topic: "Topic", authors: "Authors",
  share: "Share (%)", formVersion: "Form version", addField: "Add a field",
  fieldCode: "Field code", fieldLabel: "Label", fieldType: "Type", required: "Required",
  effectiveOn: "Effective on", reason: "Reason", number: "Decision number",
  exportXlsx: "Export Excel (.xlsx)", exportCsv: "Export CSV", evaluated: "Evaluated", accepted: "Accepted",
  refused: "Refused", revoked: "Revoked",
  council: "Constitute the evaluation council", members: "Members", evaluation: "Scores and votes",
  vote: "Vote", for: "For", against: "Against", abstain: "Abstain",
  recognise: "Recognise", refuse: "Refuse", evidence: "Evidence (one file per line)",
  application: "Report an application", appliedFrom: "Applied from", benefit: "Benefit", valueSaved: "Value saved (VND)",
  propose: "Propose upward", recogniseAtLevel: "Recognise at our level",
  scope: "Level", decideBy: "Decide by", decidedOn: "Decided on", fields: "Registration",
  overdueReviews: "Units with overdue reviews", unit: "Unit", period: "Period", dueOn: "Due",
  classify: "Classify a lower union", score: "Appraised score", findings: "Findings (one per line)",
  proposedToUs: "Dossiers submitted to us", nominationsToUs: "Nominations to us",
  nominate: "Nominate", subject: "Subject", individual: "Individual", collective: "Collective",
  person: "Nominee", form: "Form", achievement: "Achievement", carries: "Carry a lower union's nomination",
  selection: "Selection meeting", attendees: "Attendees", votesFor: "Votes for", minutes: "Minutes",
  draft: "Draft a submission (dossier)", nominations: "Nominations", submission: "Submission",
  documents: "Documents in the dossier", attach: "Attach a document", file: "File", missing: "Missing",
  complete: "The dossier is complete.", submit: "Submit", returnIt: "Return for supplements",
  submissionLetter: "Download the submission letter (.docx)", decide: "Decide an award", signer: "Signer",
  awardList: "Award decisions", decision: "Decision", printDecision: "Download the decision (.docx)",
  printList: "Download the list (.docx)", place: "Place", auditIt: "See the decision's history",
  recordId: "Record id (decision, initiative, idea…)", timeline: "Timeline", authorityThen: "Authority on the decision's date",
  treeThen: "The tree then", treeNow: "Today", heldSeat: "The decider sat on the body then",
  verification: "Integrity verification", verified: "Intact: no record was altered or removed",
  broken: "Tampering found", printable: "Printable report", yes: "Yes", no: "No", by: "By",
  draftStatus: "Draft", submitted: "Submitted", returned: "Returned", decidedStatus: "Decided",
  nominated: "Nominated", selected: "Selected", awarded: "Awarded", stage: "Stage",
  idea: "Idea", registration: "Registration", proposal: "Proposal", dossier: "Dossier", revocation: "Revocation",
  recognition: "Recognition",
  total: "Total", none: "None.", choose: "— Choose —", kindOf: {
    submission_letter: "Submission letter", initiative_summary: "Initiative summary",
    achievement_summary: "Achievement report", recognition_decision: "Recognition decision",
    minutes_extract: "Minutes extract"},
  roles: { member: "Member", official: "Official", executive: "Executive committee",
    standing: "Standing committee", auditor: "Auditor", administrator: "Administrator" },
};
const DICTIONARIES = { vi, en };

export function language() {
  return localStorage.getItem("emu.lang") === "en" ? "en" : "vi";
}

export function setLanguage(lang) {
  localStorage.setItem("emu.lang", lang);
  document.documentElement.lang = lang;
}

// t("key") or t("kindOf.minutes_extract"); an unknown key shows itself (never blank).
export function t(key) {
  let value = DICTIONARIES[language()];
  for (const part of key.split(".")) value = value == null ? undefined : value[part];
  return typeof value === "string" ? value : key;
}
