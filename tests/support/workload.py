"""A realistic workload driven through the gateway's HTTP API by several people at once, each
command kept in a ledger of what its client was told, for the fault suite (issue 10).

Each client behaves as a careful front end does: every command gets its own idempotency key
and correlation id, and is sent again with both, after a short pause, for as long as the
system gives no final answer (no connection, a 5xx, a timeout, ``IDEMPOTENCY_IN_PROGRESS``).
A final answer is a 2xx (the result), ``409 REQUEST_ALREADY_APPLIED`` (carried out, its answer
lost) or another 4xx (refused). The ledger keeps every command with its final answer, the
request id the gateway derives from the user and the key (``gateway.core.request_id``), and
what was seen on the way (status codes, connection errors), so that afterwards the stores can
be compared with what each client was told.

The scripts:
- ``movement``: CS-1's year 2025 and D's awards up to the province's Bằng khen
  (``tests.support.awards_world``), across initiatives, reviews and awards, waiting for the
  facts to reach awards before the awards are judged;
- ``ideas``: members of CS-1 raise ideas which its executive committee registers, evaluates,
  recognises, applies and proposes to Càng Long;
- ``hospital``: CS-2's executive committee registers and recognises its own initiatives and
  proposes them;
- ``district``: Càng Long's standing committee recognises what was proposed to it at its level
  and reads its units' tracking books;
- ``reviews``: CS-2's movement years 2021-2024, from launch to Càng Long's classification.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.catalogue import operation
from gateway.core import request_id
from tests.support.awards_world import FIELDS, MARKS, PLEDGE, movement_year, to_the_province
from tests.support.gateway_system import System, wait_caught_up

ALREADY_APPLIED = "REQUEST_ALREADY_APPLIED"
AGAIN = {"IDEMPOTENCY_IN_PROGRESS"}  # the first attempt is still running: ask again later
LOGINS = {"A": "a", "D": "d", "E": "a", "F": "f", "G": "g", "H": "h"}  # E's registration by A


@dataclass
class Entry:
    """One command and what its client was finally told."""
    login: str
    service: str
    method: str
    key: str
    correlation_id: str
    request_id: str
    status: int = 0  # the final answer's status; 0: none before the client gave up
    code: str | None = None
    result: Any = None
    attempts: int = 0
    seen: list[str] = field(default_factory=list)  # what each earlier attempt got

    @property
    def acknowledged(self) -> bool:
        """The client was told it was carried out."""
        return 200 <= self.status < 300 or (self.status == 409 and self.code == ALREADY_APPLIED)


class Refused(Exception):
    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        super().__init__(f"{entry.service}.{entry.method} refused: {entry.status} {entry.code}")


class Unanswered(Exception):
    pass


class Ledger:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.lock = threading.Lock()

    def add(self, entry: Entry) -> None:
        with self.lock:
            self.entries.append(entry)

    @property
    def acknowledged(self) -> list[Entry]:
        return [e for e in self.entries if e.acknowledged]

    def seen(self) -> Counter[str]:
        """Every answer an attempt got before the final one, by kind (``503
        SERVICE_UNAVAILABLE``, ``connection``...)."""
        return Counter(s for e in self.entries for s in e.seen)


class Client:
    """A signed-in person sending commands and queries through the HTTP API."""

    def __init__(self, system: System, ledger: Ledger, give_up_after: float = 120.0) -> None:
        self.system = system
        self.ledger = ledger
        self.give_up_after = give_up_after
        self.http = httpx.Client(base_url=system.base_url, timeout=30)

    def close(self) -> None:
        self.http.close()

    def command(self, login: str, service: str, method: str, *args: Any, **kwargs: Any) -> Any:
        op = operation(service, method)
        assert op is not None and op.command, f"{service}.{method} is not a command"
        kwargs.update({p.name: a for p, a in zip(op.params, args, strict=False)})
        key, correlation = str(uuid.uuid4()), str(uuid.uuid4())
        entry = Entry(login, service, method, key, correlation, request_id(login, key))
        self.ledger.add(entry)
        headers = {"Idempotency-Key": key, "X-Correlation-Id": correlation}
        deadline = time.monotonic() + self.give_up_after
        while True:
            entry.attempts += 1
            try:
                response = self.http.post(op.path, json=kwargs, headers={
                    **headers, "Authorization": f"Bearer {self.system.tokens[login]}"})
            except httpx.TransportError as error:
                entry.seen.append(f"connection: {type(error).__name__}")
            else:
                body = response.json() if response.content else {}
                code = body.get("code") if isinstance(body, dict) else None
                if response.status_code < 500 and code not in AGAIN:
                    entry.status, entry.code = response.status_code, code
                    if response.status_code >= 300 and not entry.acknowledged:
                        raise Refused(entry)
                    return body.get("result") if entry.status < 300 else None
                entry.seen.append(f"{response.status_code} {code}")
            if time.monotonic() > deadline:
                raise Unanswered(f"{service}.{method}: no answer in {self.give_up_after}s "
                                 f"({entry.attempts} attempts: {entry.seen[-3:]})")
            time.sleep(0.3)

    def query(self, login: str, service: str, method: str, **params: Any) -> Any:
        """A query, asked again until it is answered (it changes nothing)."""
        op = operation(service, method)
        assert op is not None and not op.command
        deadline = time.monotonic() + self.give_up_after
        while True:
            try:
                response = self.http.get(op.path, params={k: v for k, v in params.items()
                                                          if v is not None},
                                         headers={"Authorization": f"Bearer {self.system.tokens[login]}"})
                if response.status_code == 200:
                    return response.json().get("result")
                if response.status_code < 500:
                    raise AssertionError(f"{service}.{method}: {response.status_code} {response.text}")
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise Unanswered(f"{service}.{method} unanswered for {self.give_up_after}s")
            time.sleep(0.3)


@dataclass
class Workload:
    system: System
    ledger: Ledger = field(default_factory=Ledger)
    stop: threading.Event = field(default_factory=threading.Event)
    proposed: queue.Queue[str] = field(default_factory=queue.Queue)
    failures: list[str] = field(default_factory=list)
    chains: dict[str, list[str]] = field(default_factory=dict)  # script -> initiative ids
    award: dict[str, Any] = field(default_factory=dict)  # the movement's ids
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        assert self.system.province is not None
        self.w = self.system.province

    # --- the scripts ----------------------------------------------------------------------

    def movement(self, client: Client) -> None:
        def call(service: str, method: str, letter: str, *args: Any, **kwargs: Any) -> Any:
            return client.command(LOGINS[letter], service, method, *args, **kwargs)

        m = movement_year(call, self.w)
        wait_caught_up(self.system)  # awards judge by the facts the other services published
        self.award.update(to_the_province(call, m))

    def _chain(self, client: Client, script: str, union: str, raiser: str, executive: str,
               authors: list[tuple[str, int]], council: list[str]) -> None:
        n = next(self.counter)
        w, members = self.w, [self.w.people[x] for x in council]
        idea = None
        if raiser:
            idea = client.command(raiser, "initiatives", "raise_idea", w.unions[union],
                                  w.people[authors[0][0]], f"Ý tưởng số {n}: số hoá hồ sơ",
                                  "Mô tả ý tưởng cải tiến quy trình", "2026-01-03")
        initiative = client.command(
            executive, "initiatives", "register", w.unions[union], f"SK-F{n:03d}", "initiative",
            {"name": f"Sáng kiến số {n}", **FIELDS},
            [{"person_id": w.people[p], "share": s} for p, s in authors], "2026-01-10",
            idea_id=idea if isinstance(idea, str) else None)
        if initiative is None:  # carried out, its answer lost: the chain cannot go on
            return
        self.chains.setdefault(script, []).append(initiative)
        client.command(executive, "initiatives", "constitute_council", initiative, members,
                       "2026-01-20", "Thành lập hội đồng", f"{n}/QĐ-HĐ")
        client.command(executive, "initiatives", "record_evaluation", initiative, "2026-02-01",
                       dict.fromkeys(members, MARKS), dict.fromkeys(members, "for"), f"BB-{n}")
        client.command(executive, "initiatives", "recognise", initiative, "2026-02-10",
                       "Hội đồng tán thành", f"{n}/QĐ-CĐCS")
        client.command(executive, "initiatives", "report_application", initiative, "2026-02-15",
                       "Giảm thời gian xử lý", 1_000_000 + n, "2026-05-01")
        client.command(executive, "initiatives", "propose", initiative, "2026-05-02",
                       "Hiệu quả, đề nghị công nhận cấp huyện")
        self.proposed.put(initiative)

    def ideas(self, client: Client) -> None:
        while not self.stop.is_set():
            self._chain(client, "ideas", "CS-1", "d", "a", [("D", 70), ("E", 30)], ["A", "B", "C"])

    def hospital(self, client: Client) -> None:
        while not self.stop.is_set():
            self._chain(client, "hospital", "CS-2", "", "f", [("K", 100)], ["F", "K", "G"])

    def district(self, client: Client) -> None:
        w = self.w
        while not (self.stop.is_set() and self.proposed.empty() and self.producers_done()):
            try:
                initiative = self.proposed.get(timeout=1)
            except queue.Empty:
                client.query("g", "initiatives", "tracking_book", union_id=w.unions["CS-1"], limit=20)
                continue
            client.command("g", "initiatives", "recognise_at_level", initiative, "direct_superior",
                           "2026-05-20", "Hiệu quả trong toàn huyện", f"QĐ-CL-{initiative[:8]}")

    def reviews(self, client: Client) -> None:
        w = self.w
        cs2, cl = w.unions["CS-2"], w.unions["TV-CL"]
        for year in (2021, 2022, 2023, 2024):
            client.command("f", "reviews", "launch", cs2, year, f"{year}-01-05",
                           f"Phát động phong trào năm {year}", "Mỗi khoa một sáng kiến")
            client.command("f", "reviews", "record_dissemination", cs2, year, "conference",
                           f"{year}-01-15", "Hội nghị quán triệt", "Toàn thể đoàn viên", 120)
            client.command("f", "reviews", "sign_pledge", cs2, year, f"{year}-01-20",
                           PLEDGE.replace("2025", str(year)))
            client.command("f", "reviews", "hold_half_year_review", cs2, f"{year}-H1",
                           f"{year}-07-05", "Sơ kết 6 tháng", ["Đạt kế hoạch"])
            client.command("f", "reviews", "hold_half_year_review", cs2, f"{year}-H2",
                           f"{year + 1}-01-08", "Sơ kết 6 tháng cuối năm", ["Đạt kế hoạch"])
            client.command("f", "reviews", "hold_annual_review", cs2, year, f"{year + 1}-01-20",
                           f"Tổng kết năm {year}", 90)
            client.command("g", "reviews", "classify", cs2, year, cl, f"{year + 1}-02-10", 90)

    # --- running them ---------------------------------------------------------------------

    def producers_done(self) -> bool:
        return not any(t.is_alive() for t in self._producers)

    def run(self, until: Callable[[], bool], timeout: float = 600.0) -> None:
        """Runs every script in its own thread; the looping ones stop once ``until()`` is
        true (checked every half second) and the others have finished."""
        def guarded(script: Callable[[Client], None]) -> Callable[[], None]:
            def body() -> None:
                client = Client(self.system, self.ledger)
                try:
                    script(client)
                except Exception as error:  # reported, and fails the test
                    self.failures.append(f"{script.__name__}: {type(error).__name__}: {error}")
                    self.stop.set()
                finally:
                    client.close()
            return body

        once = [threading.Thread(target=guarded(s), name=s.__name__)
                for s in (self.movement, self.reviews)]
        self._producers = [threading.Thread(target=guarded(s), name=s.__name__)
                           for s in (self.ideas, self.hospital)]
        consumer = threading.Thread(target=guarded(self.district), name="district")
        threads = [*once, *self._producers, consumer]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        while not self.stop.is_set() and time.monotonic() - started < timeout:
            if until() and not any(t.is_alive() for t in once):
                break
            time.sleep(0.5)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=max(1.0, timeout - (time.monotonic() - started)))
        assert not any(t.is_alive() for t in threads), "a client hung"
