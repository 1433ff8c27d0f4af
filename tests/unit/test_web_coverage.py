"""R5.2: the web application is a door to the whole system: every operation a person may call
through the gateway (its catalogue, the list ``gateway/policy.py`` guards) is called by some
screen of ``gateway/web/js``, as ``get|post("<service>", "<operation>")`` or by its path.
What is deliberately reached another way is listed below with the reason."""

from __future__ import annotations

import re
from pathlib import Path

from gateway.catalogue import operations

WEB = Path(__file__).resolve().parents[2] / "gateway" / "web" / "js"

# Operations no screen calls by name, and why.
REACHED_OTHERWISE = {
    "audit.decision_trail": "the audit page reads the same trail through audit.audit_report",
    "awards.render_decision": "the award page's print button, through its file(method) helper",
    "awards.render_award_list": "the award page's print button, through its file(method) helper",
    "awards.render_certificates": "the award page's print button, through its file(method) helper",
    "initiatives.render_recognition": "the initiative page's buttons, through recognitionFile(method)",
    "initiatives.render_recognition_certificates": "the initiative page's buttons, through "
                                                   "recognitionFile(method)",
    "registry.direct_superior": "the union pages show the union above from registry.ancestors",
    "reviews.flag_overdue": "the reviews service runs it itself (EMU_OVERDUE_SWEEP_INTERVAL); the "
                            "upper union's page lists what it found. It acts on every union, so "
                            "only a grant over the whole system may call it",
    "registry.department": "the union page lists every body, departments included (registry.bodies)",
}
# What the screens call that is the gateway's own, not a service's operation.
GATEWAY_OWN = {"auth.token", "me.password"}


Q = r"""["'`]"""  # a string literal's quote
CALLS = (
    re.compile(rf"(?:get|getPage|post|raw)\(\s*{Q}(\w+){Q},\s*{Q}([\w-]+){Q}"),  # get("awards", "get-award")
    re.compile(rf"service:\s*{Q}(\w+){Q},\s*command:\s*{Q}([\w-]+){Q}"),  # commandForm({service, command})
    re.compile(r"/v1/(\w+)/([\w-]+)"),  # a path
)
# a screen that calls one operation of each store: STORES.map((service) => get(service, "x"))
OF_EACH_STORE = re.compile(rf"get\(\s*(?:service|c\.service|v\.service)\s*,\s*{Q}([\w-]+){Q}")
STORES = ("registry", "initiatives", "reviews", "awards", "notifications")


def calls_in_web() -> set[str]:
    """Every service.operation the screens name."""
    found: set[str] = set()
    for script in WEB.rglob("*.js"):
        text = script.read_text(encoding="utf-8")
        for pattern in CALLS:
            found.update(f"{service}.{name}" for service, name in pattern.findall(text))
        for name in OF_EACH_STORE.findall(text):
            found.update(f"{service}.{name}" for service in STORES)
    return {call.replace("-", "_") for call in found}


def test_r5_2_every_operation_a_person_may_call_has_a_screen() -> None:
    called = calls_in_web()
    missing = sorted(op.name for op in operations()
                     if op.name not in called and op.name not in REACHED_OTHERWISE)
    assert not missing, f"operations no screen calls: {missing}"


def test_r5_2_the_coverage_check_sees_a_missing_screen() -> None:
    """The check itself: the names it reads are real operations (and the gateway's own two),
    read from every way a screen calls one."""
    called = calls_in_web()
    names = {op.name for op in operations()}
    assert "reviews.sign_pledge" in called and "awards.get_document" in called
    assert called - names <= GATEWAY_OWN, called - names - GATEWAY_OWN
    assert set(REACHED_OTHERWISE) <= names
