// What the awards service answers about a decision's grounds (R4.4, R4.5, R5.1): the
// proceedings of one nomination, step by step (#/proceedings/<nomination>), and the events an
// award decision rests on (#/cited/<award>). Reached by links from the award, dossier and
// audit pages, for those who follow decisions: committees and auditors (see ``follows``).
import { get } from "../api.js";
import { eventName, language, t, term } from "../i18n.js";
import { badge, date, download, h, table } from "../ui.js";
import { L, facts, listCard } from "./kit.js";

const g = (key) => t(`grounds.${key}`);
const W = {
  attended: (n, m) => ({ vi: `${n}/${m} thành viên dự họp`, en: `${n} of ${m} members attended` }),
  votesText: (v) => ({ vi: `${v.for ?? 0} tán thành, ${v.against ?? 0} không tán thành, ${v.abstain ?? 0} không biểu quyết`,
    en: `${v.for ?? 0} for, ${v.against ?? 0} against, ${v.abstain ?? 0} abstaining` }),
};


// A published event's name as a person reads it: the table above, else its last part in words.
export function factKind(name) {
  const known = term("factKinds", name);
  if (known) return known;
  const last = String(name ?? "").split(".").pop().replace(/_/g, " ");
  return last.charAt(0).toUpperCase() + last.slice(1);
}

// Who follows how a decision was reached: the committees and the auditors (R5.1).
export const follows = (shell) => shell.committee() || ["auditor", "administrator"].includes(shell.role());

// The links other screens show: to a nomination's proceedings, to an award's grounds.
export const proceedingsLink = (nominationId, text = g("proceedings")) =>
  h("a", { href: `#/proceedings/${nominationId}`, class: "proceedings-link" }, text);
export const citedLink = (awardId) => h("a", { href: `#/cited/${awardId}`, id: "cited-link" }, g("cited"));

// Every event id a record cites: "event_id" keys anywhere, and ids listed under "evidence".
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function citedIds(value, out = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => citedIds(v, out));
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "event_id" && UUID.test(String(item))) out.add(item);
      else if (key === "evidence" && Array.isArray(item)) {
        item.filter((e) => UUID.test(String(e))).forEach((e) => out.add(e));
        citedIds(item.filter((e) => typeof e === "object"), out);
      } else citedIds(item, out);
    }
  }
  return out;
}

async function formTitles() {
  const catalogue = await get("awards", "forms", {});
  return Object.fromEntries(catalogue.forms.map((f) => [f.code, f.title]));
}

// "Chủ tịch Ban Thường vụ Liên đoàn Lao động tỉnh Trà Vinh": the seat a decision was made from.
async function authorityText(shell, authority) {
  if (!authority) return "";
  const position = term("positions", authority.position) ?? "";
  const body = term("bodyKinds", authority.kind) ?? "";
  const where = authority.union_id ? await shell.unionName(authority.union_id) : "";
  return [position, body, where].filter(Boolean).join(language() === "en" ? ", " : " ");
}

async function actorText(shell, actor) {
  if (!actor || !actor.user_id) return "";
  if (String(actor.user_id).startsWith("system")) return g("system");
  const name = await shell.personName(actor.user_id);
  return actor.role ? `${name} (${t(`roles.${actor.role}`)})` : name;
}

async function stepItem(shell, step) {
  const decision = step.decision || {};
  const lines = [];
  const line = (label, ...value) => lines.push(h("div", { class: "muted", "data-line": label }, `${g(label)}: `, ...value));
  const who = await actorText(shell, step.actor);
  if (who) line("by", who);
  const seat = await authorityText(shell, decision.authority);
  if (seat) line("authority", seat);
  if (step.record === "SelectionMeeting") {
    line("votes", `${L(W.votesText(step.votes || {}))} — ${L(W.attended(step.attended ?? 0, step.members ?? 0))} — `,
      h("b", {}, step.selected ? g("selected") : g("notSelected")));
    lines.push(h("div", {}, h("button", { class: "secondary", "data-minutes": step.record_id, onclick: async () => {
      const file = await get("awards", "render-minutes-extract", { meeting_id: step.record_id });
      download(file.filename, file.media_type, file.content_base64);
    } }, g("minutesExtract"))));
  }
  if (step.record === "Submission" && step.to_union_id) {
    line("route", `${await shell.unionName(step.union_id)} → ${await shell.unionName(step.to_union_id)}`);
    if (step.event === "Submitted" && step.round && step.round.number) line("letter", step.round.number);
    if (step.event === "Returned") {
      const returned = (step.round && step.round.returned) || {};
      const missing = (returned.missing || []).map((k) => t(`kindOf.${k}`)).join("; ");
      if (missing) line("missing", missing);
    }
  }
  // a dossier's number is its letter's (shown above); a decision's is its own
  const number = step.record === "Submission" ? null : decision.number || (step.record === "Award" ? step.number : null);
  if (number) line("number", number);
  if (step.record === "Award") lines.push(h("div", {}, h("a", { href: `#/award/${step.record_id}` }, g("openAward"))));
  if (decision.reason) lines.push(h("div", { class: "reason" }, `${g("reason")}: ${decision.reason}`));
  return h("li", { class: decision.authority ? "decision" : "", "data-event": `${step.record}.${step.event}` },
    h("b", {}, `${date(step.on)} · ${eventName(step.record, step.event)}`), ...lines);
}

async function proceedingsScreen(shell, id) {
  const [n, found, titles] = await Promise.all([get("awards", "get-nomination", { nomination_id: id }),
    get("awards", "proceedings", { nomination_id: id }), formTitles()]);
  const nominee = n.subject_name || (n.subject === "individual" ? await shell.personName(n.subject_id)
    : await shell.unionName(n.subject_id));
  const steps = await Promise.all((found.steps || []).map((s) => stepItem(shell, s)));
  const lower = n.carries ? await get("awards", "get-nomination", { nomination_id: n.carries }).catch(() => null) : null;
  shell.page(`${g("proceedings")}: ${nominee}`,
    facts(null, [
      [g("nominee"), `${nominee} (${t(n.subject)})`],
      [t("form"), titles[n.form] || n.form],
      [t("year"), String(n.year)],
      [g("proposedBy"), await shell.unionName(n.union_id)],
      n.to_union_id !== n.union_id ? [g("proposedTo"), await shell.unionName(n.to_union_id)] : null,
      [t("achievement"), n.achievement],
      n.carries ? [g("carries"), proceedingsLink(n.carries, `${g("proceedings")} — ${lower ? await shell.unionName(lower.union_id) : ""}`)] : null,
      [t("status"), n.withdrawn ? badge("withdrawn") : badge(n.award_id ? "awarded" : "nominated")],
    ], { id: "nomination" }),
    h("div", { class: "card" }, h("h2", {}, g("steps")),
      steps.length ? h("ol", { class: "timeline", id: "steps" }, steps) : h("p", { class: "muted" }, g("noSteps"))));
}

async function recordLink(shell, event, initiatives) {
  if (event.source === "initiatives" && event.record_id) {
    if (!initiatives.has(event.record_id)) {
      initiatives.set(event.record_id, get("initiatives", "get-initiative", { initiative_id: event.record_id })
        .then((i) => [i.reference, i.fields && i.fields.name].filter(Boolean).join(" — ")).catch(() => ""));
    }
    const name = await initiatives.get(event.record_id);
    return h("a", { href: `#/initiative/${event.record_id}` }, name || g("initiative"));
  }
  if (event.union_id) return h("a", { href: `#/union/${event.union_id}` }, g("unionRecord"));
  return "";
}

async function citedScreen(shell, id) {
  const [award, titles] = await Promise.all([get("awards", "get-award", { award_id: id }), formTitles()]);
  // Which awardee each event is evidence for: their nominations' evaluations cite them.
  const forWhom = new Map();
  const ids = citedIds(award.decision);
  for (const awardee of award.awardees) {
    const name = awardee.subject === "individual" ? await shell.personName(awardee.subject_id)
      : await shell.unionName(awardee.subject_id);
    const cited = citedIds(awardee);
    if (awardee.nomination_id) {
      const n = await get("awards", "get-nomination", { nomination_id: awardee.nomination_id }).catch(() => null);
      if (n) citedIds(n.evaluation, cited);
    }
    for (const e of cited) {
      ids.add(e);
      forWhom.set(e, [...(forWhom.get(e) || []), name]);
    }
  }
  const events = ids.size ? await get("awards", "cited-events", { event_ids: [...ids] }) : [];
  const sorted = [...events].sort((a, b) => String(a.on).localeCompare(String(b.on)));
  const initiatives = new Map();
  const rows = await Promise.all(sorted.map(async (e) => [
    h("span", { "data-kind": e.name }, factKind(e.name)), date(e.on), term("stores", e.source) ?? e.source,
    e.union_id ? await shell.unionName(e.union_id) : "", (forWhom.get(e.event_id) || []).join(", "),
    await recordLink(shell, e, initiatives)]));
  const files = (award.decision?.evidence || []).filter((e) => !UUID.test(String(e)));
  shell.page(`${g("cited")} ${award.number}`,
    h("p", {}, `${await shell.unionName(award.union_id)} · ${date(award.decided_on)} · ${titles[award.form?.code ?? award.form] || award.form?.title || award.form} · `,
      h("a", { href: `#/award/${award.award_id}` }, g("openAward"))),
    listCard("cited", g("citedEvents"), ["kind", "date", "source", "unit", "forWhom", "about"].map(g), rows, g("noCited")),
    files.length ? h("div", { class: "card", id: "decision-files" }, h("h2", {}, g("files")),
      h("ul", {}, files.map((f) => h("li", {}, String(f))))) : null,
    h("div", { class: "card", id: "awardees" }, h("h2", {}, g("proceedings")),
      table([g("nominee"), g("steps")], await Promise.all(award.awardees.filter((x) => x.nomination_id).map(async (x) => [
        x.subject === "individual" ? await shell.personName(x.subject_id) : await shell.unionName(x.subject_id),
        proceedingsLink(x.nomination_id)])))));
}

export function register(shell) {
  shell.route(/^#\/proceedings\/([\w-]+)$/, (id) => proceedingsScreen(shell, id));
  shell.route(/^#\/cited\/([\w-]+)$/, (id) => citedScreen(shell, id));
}
