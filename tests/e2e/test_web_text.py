"""Every screen of the web front end, as every role, read the way a union officer reads it
(R5.2: the front end over the gateway's API): no machine's word on screen, and no serious
accessibility fault.

A crawl signs in as each role of the small province (member, official, grassroots executive
committee, upper-union and provincial standing committees, auditor, administrator), opens
every entry of that role's menu and follows the links the screens show (a record page of
each kind: idea, initiative, dossier, award, audit trail, union, person) and the header's
search. On each screen it reads the visible text and fails on what is a code rather than
Vietnamese: ``[object Object]``, ``undefined``, ``null``, ``NaN``, a snake_case token, a
CamelCase event name, a bare UUID, an ISO date (dates read dd/mm/yyyy), and an English word
of the interface's own English dictionary that Vietnamese does not use (outside ``ALLOWED``).
Text a screen shows on purpose as an identifier (a field code in the form designer, a
document's digest) is set in ``<code>`` and not read. The grassroots committee's screens
are read once more after one click on "English": no code there either, and no text that is
one of the interface's Vietnamese phrases (English is complete). Then axe-core (vendored from the npm
registry under tests/e2e/vendor/, never served to users) runs on the same screen: no
serious or critical violation.

With ``EMU_SCREENSHOTS=1`` (``make screenshots``) each kind of screen is kept under
docs/screenshots/ as the first role that opens it sees it.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest

from tests.e2e.test_web import LAPTOP, SHOTS, caught_up, wait, world  # noqa: F401 (world: the fixture)
from tests.support.gateway_system import ADMIN_PASSWORD, PASSWORD, SERVICES

pytestmark = [pytest.mark.e2e, pytest.mark.system, pytest.mark.bus, pytest.mark.postgres]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Who signs in, as which role (the logins of the ``world`` fixture).
ROLES = (("d", PASSWORD, "member"), ("b", PASSWORD, "official"), ("a", PASSWORD, "executive"),
         ("g", PASSWORD, "standing-district"), ("h", PASSWORD, "standing-province"),
         ("kiemtoan", PASSWORD, "auditor"), ("admin", ADMIN_PASSWORD, "administrator"))
SEARCHES = ("cang long", "SỔ")  # diacritics and case ignored: "Càng Long", "Sổ tay…"
PER_KIND = 2  # pages of one kind (e.g. two initiatives) opened per role
PER_ROLE = 30

# Words that are the same in a Vietnamese office's writing: names of file formats and
# standards, the switch to English, and abbreviations.
ALLOWED = {"excel", "csv", "docx", "xlsx", "sha", "english", "pdf", "email", "menu", "dd", "mm", "yyyy",
           "id", "vnd", "ttr", "cđcs", "lđlđ", "qđ"}
# Vietnamese syllables and names written without diacritics that are English words too.
VIETNAMESE_ASCII = {"long", "van", "con", "ban", "tin", "hoa", "sang", "nam", "ten", "men", "cho", "thi",
                    "lan", "lam", "mai", "son", "minh", "binh", "thanh", "trung", "phan", "hung", "tan",
                    "vinh", "tra", "kim", "bang", "hang", "tam", "tinh", "quan", "cong", "doan"}
SHORT_ENGLISH = {"ok", "by", "of", "is", "it", "on", "at", "or", "no", "to"}  # two letters, still English
CODE_PATTERNS = {
    "[object Object]": re.compile(r"\[object \w+\]"),
    "undefined": re.compile(r"\bundefined\b"),
    "null": re.compile(r"\bnull\b"),
    "NaN": re.compile(r"\bNaN\b"),
    "snake_case": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "CamelCase": re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b"),
    "UUID": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
}
# What a person reads on the screen: text nodes, options included, outside <code>, scripts
# and hidden elements; plus placeholders and accessible names a screen reader reads out.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest("code, script, style, [hidden]")) continue;
    if (!el.closest("option") && !el.getClientRects().length) continue;
    const text = n.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (el.closest("[hidden]")) continue;
    for (const a of ["placeholder", "aria-label", "title"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  return out;
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter((v) => ["serious", "critical"].includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + n.failureSummary.slice(0, 200)) }));
}"""


def dictionaries(page: Any) -> dict[str, Any]:
    """The interface's words (js/i18n.js), as the page has them."""
    found: dict[str, Any] = json.loads(page.evaluate(
        "async () => JSON.stringify((await import('/js/i18n.js')).DICTIONARIES)"))
    return found


def vietnamese_phrases(page: Any) -> set[str]:
    """The interface's Vietnamese phrases whose English differs: on an English screen, a text
    that is one of them was left untranslated."""
    both = dictionaries(page)

    def flat(value: Any, key: str = "") -> dict[str, str]:
        if isinstance(value, dict):
            return {k: v for name, item in value.items() for k, v in flat(item, f"{key}.{name}").items()}
        return {key: str(value)}

    vi, en = flat(both["vi"]), flat(both["en"])
    # coreFields are the fallback of a union's own form labels: the form's data, Vietnamese as
    # the union wrote it, in either language.
    return {text for key, text in vi.items() if en.get(key) != text and not text.isascii()
            and not key.startswith(".coreFields.")}


def english_only_words(page: Any) -> set[str]:
    """The words of the interface's English dictionary that its Vietnamese one never uses."""
    dictionaries_ = dictionaries(page)

    def words(value: Any) -> set[str]:
        if isinstance(value, dict):
            return set().union(*(words(v) for v in value.values())) if value else set()
        return {w.lower() for w in re.findall(r"[A-Za-zÀ-ỹĐđ]+", str(value))}

    # A few English words a screen showed before (the audit's "store", "ok"), whether or not
    # the dictionary still has them.
    extra = {"store", "ok", "by", "none", "status", "decision", "initiative", "submission", "award",
             "nomination", "the", "and", "of", "for", "with", "not", "found", "error"}
    return {w for w in words(dictionaries_["en"]) | extra
            if len(w) >= 2 and w.isascii()} - words(dictionaries_["vi"]) - ALLOWED


def codes_in(texts: list[str]) -> list[str]:
    return [f"{name}: {match!r} in {text[:80]!r}" for text in texts
            for name, pattern in CODE_PATTERNS.items() for match in pattern.findall(text)]


def untranslated_in(texts: list[str], vietnamese: set[str]) -> list[str]:
    """On an English screen: a code, or a text that is one of the interface's Vietnamese phrases."""
    return codes_in(texts) + [f"Vietnamese: {text!r}" for text in texts
                              if text.rstrip(" :*") in vietnamese]


def leaks_in(texts: list[str], english: set[str]) -> list[str]:
    found = codes_in(texts)
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text):  # whole words: "Toàn" is no "To"
            w = word.lower()
            if w.isascii() and w in english and (len(w) >= 3 or w in SHORT_ENGLISH) \
                    and w not in VIETNAMESE_ASCII:
                found.append(f"English: {word!r} in {text[:80]!r}")
    return found


def kind_of(hash_: str) -> str:
    """The kind of screen a link opens: "#/initiative/…" is "initiative"."""
    parts = hash_.lstrip("#/").split("/")
    return parts[0] or "dashboard"


def sign_in(browser: Any, base_url: str, login: str, password: str) -> Any:
    context = browser.new_context(viewport=LAPTOP, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(base_url + "/")
    wait(page, "#login")
    page.fill("#f-username", login)
    page.fill("#f-password", password)
    page.click("#login button[type=submit]")
    wait(page, "main[data-screen]:not([data-screen=login])")
    return page


def open_screen(page: Any, hash_: str) -> None:
    page.evaluate(f"document.querySelector('main').removeAttribute('data-screen'); "
                  f"location.hash = {json.dumps(hash_)}")
    # A refusal drawn instead of a screen is read as well.
    with contextlib.suppress(playwright_api.TimeoutError):
        page.wait_for_selector("main[data-screen]", timeout=20_000)
    page.wait_for_load_state("networkidle")


# A form submitted with every field emptied: what it answered. Fields are emptied, not
# filled with rubbish: every command has a required field, so an empty form is bad input.
# The own-password form is left out: a wrong current password signs the person out (401).
BLANK_AND_SUBMIT = """async (id) => {
  const form = document.getElementById(id);
  for (const el of form.elements) {
    if (el.type === "checkbox") el.checked = false;
    else if (el.tagName === "SELECT") { if ([...el.options].some((o) => o.value === "")) el.value = ""; }
    else if (el.type !== "file" && el.type !== "submit" && el.type !== "button") el.value = "";
  }
  form.querySelector("button[type=submit]").click();
  for (let i = 0; i < 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const texts = (selector) => [...form.querySelectorAll(selector)]
      .map((e) => e.textContent.trim()).filter(Boolean);
    const beside = texts(".row.invalid .field-error"), above = texts(".form-error");
    const ok = !!form.querySelector(".ok"), gone = !form.isConnected;
    if (beside.length || above.length || ok || gone) return { beside, above, ok, gone };
  }
  return { beside: [], above: [], ok: false, gone: false };
}"""
NOT_BLANKED = {"change-password"}


def refusals_of_blank_forms(page: Any, tried: set[str]) -> list[dict[str, Any]]:
    """Each form of the screen not tried yet (by its id), emptied and submitted."""
    found = []
    forms = page.locator("main form.card[id]:not([data-lookup])")  # a lookup finds, stores nothing
    for form_id in forms.evaluate_all("els => els.map((f) => f.id)"):
        if form_id in tried or form_id in NOT_BLANKED:
            continue
        tried.add(form_id)
        found.append({"form": form_id, **page.evaluate(BLANK_AND_SUBMIT, form_id)})
    return found


def crawl_role(page: Any, role: str, check: Callable[[list[str]], list[str]], shots: set[str],
               per_kind_limit: int = PER_KIND, forms: set[str] | None = None) -> list[dict[str, Any]]:
    """Every screen the role reaches from its menu and the search: what ``check`` found on
    each one, what axe-core found, and the page's script errors."""
    # axe-core served as if from the page's own origin: the policy refuses inline scripts.
    page.route("**/__axe.js", lambda route: route.fulfill(path=str(AXE)))
    menu = [a.get_attribute("href") for a in page.locator("#nav a").all()]
    queue = [*menu, *(f"#/search/{q}" for q in SEARCHES)]
    seen: set[str] = set()
    per_kind: dict[str, int] = {}
    visited: list[dict[str, Any]] = []
    while queue and len(visited) < PER_ROLE:
        hash_ = queue.pop(0)
        kind = kind_of(hash_)
        if hash_ in seen or (per_kind.get(kind, 0) >= per_kind_limit and hash_ not in menu):
            continue
        seen.add(hash_)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        open_screen(page, hash_)
        texts = page.evaluate(VISIBLE_TEXT)
        page.add_script_tag(url="/__axe.js")
        violations = page.evaluate(AXE_RUN)
        visited.append({"role": role, "hash": hash_, "leaks": check(texts),
                        "axe": violations, "errors": list(page.errors),
                        "forms": refusals_of_blank_forms(page, forms) if forms is not None else []})
        page.errors.clear()
        if kind not in shots:
            shots.add(kind)
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"screen-{kind}-{role}.png"), full_page=True)
        links = page.locator("main a[href^='#/']").evaluate_all(
            "els => els.map((a) => a.getAttribute('href'))")
        for href in links:
            if href not in seen and kind_of(href) not in ("login",):
                queue.append(href)
    return visited


@pytest.fixture(scope="module")
def crawl(world: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:  # noqa: F811 (the imported fixture)
    """Each role's screens, read once for both tests. Before, CS-1's committee gives D its
    Giấy khen (through the API), so that a decision, its audit trail and every record page
    before it exist."""
    system, w, m = world["system"], world["w"], world["m"]
    cs1 = w.unions["CS-1"]
    own = system.call("a", "awards", "nominate", cs1, "individual", w.people["D"], 2025, "giay_khen_cdcs",
                      "Sáng kiến sổ theo dõi đoàn viên điện tử", "2026-03-01",
                      initiative_ids=[m.initiatives["SK-01"]])
    system.call("a", "awards", "decide_award", cs1, "giay_khen_cdcs", "2026-03-05", "05/QĐ-CĐCS",
                [own["nomination_id"]], "Thành tích năm 2025")
    caught_up(system)
    base_url = system.base_url
    english: set[str] = set()
    shots: set[str] = set()
    visited: list[dict[str, Any]] = []
    forms: set[str] = set()
    before = stored_events(system)
    for login, password, role in ROLES:
        page = sign_in(world["browser"], base_url, login, password)
        if not english:
            english = english_only_words(page)
        visited.extend(crawl_role(page, role, partial(leaks_in, english=english), shots, forms=forms))
        page.context.close()
    world["stored_before_and_after_forms"] = (before, stored_events(system))
    # English is one click away, and complete: the grassroots committee's screens (the most
    # of any role) once more in English.
    page = sign_in(world["browser"], base_url, "a", PASSWORD)
    page.click("#lang")
    page.wait_for_selector("html[lang=en]")
    vietnamese = vietnamese_phrases(page)
    visited.extend(crawl_role(page, "executive-en", partial(untranslated_in, vietnamese=vietnamese),
                              shots, per_kind_limit=1))
    page.context.close()
    yield visited


def test_r5_2_every_screen_of_every_role_reads_as_vietnamese_with_no_code_on_it(
        crawl: list[dict[str, Any]]) -> None:
    kinds = {kind_of(v["hash"]) for v in crawl}
    assert {"dashboard", "ideas", "idea", "book", "initiative", "awards", "submission", "upper",
            "audit", "search", "union", "person"} <= kinds, kinds
    leaks = [f"{v['role']} {v['hash']}: {leak}" for v in crawl for leak in v["leaks"]]
    assert leaks == [], "\n".join(leaks[:60])
    errors = [f"{v['role']} {v['hash']}: {e}" for v in crawl for e in v["errors"]]
    assert errors == [], "\n".join(errors)


def test_r5_2_every_screen_of_every_role_has_no_serious_accessibility_violation(
        crawl: list[dict[str, Any]]) -> None:
    assert len(crawl) >= 30
    found = [f"{v['role']} {v['hash']}: {x['impact']} {x['id']} ({x['help']}) {x['nodes']}"
             for v in crawl for x in v["axe"]]
    assert found == [], "\n".join(found[:40])


def stored_events(system: Any) -> dict[str, int]:
    """How many events each service has stored; but notifications, whose timer makes the
    reminders owed on its own, whatever a form does."""
    return {service: system.processes.call(service, "health", timeout=5)["last_notification"] or 0
            for service in SERVICES if service != "notifications"}


def test_r5_2_every_form_refuses_empty_input_in_vietnamese_and_stores_nothing(
        crawl: list[dict[str, Any]], world: dict[str, Any]) -> None:  # noqa: F811 (the fixture)
    """Every form the roles reach, emptied and submitted: refused, in Vietnamese, beside the
    field the refusal names (or above the form when it names none), and not one event
    stored by all of them together."""
    tried = [dict(f, hash=v["hash"], role=v["role"]) for v in crawl for f in v.get("forms", [])]
    assert len(tried) >= 40, [f["form"] for f in tried]
    accepted = [f"{f['role']} {f['hash']} #{f['form']}" for f in tried if f["ok"] or f["gone"]]
    assert accepted == [], accepted
    silent = [f"{f['role']} {f['hash']} #{f['form']}" for f in tried if not (f["beside"] or f["above"])]
    assert silent == [], silent
    not_vietnamese = [f"#{f['form']}: {text}" for f in tried for text in f["beside"] + f["above"]
                      if text.isascii()]
    assert not_vietnamese == [], not_vietnamese
    above_only = [f["form"] for f in tried if not f["beside"]]
    # a refusal that names a field is shown beside it: most do (the rest name no field)
    assert len(above_only) <= len(tried) // 4, above_only
    before, after = world["stored_before_and_after_forms"]
    assert after == before
