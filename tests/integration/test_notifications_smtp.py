"""Reminders over a real SMTP server (aiosmtpd on localhost) with a fixed clock: one mail per
person per deadline, the same Message-ID on a mail sent again after a crash between the
server's acceptance and the service's record, refusals retried then parked and shown, and a
sender SIGKILLed at random points that loses nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from runtime.clock import FixedClock
from runtime.config import Settings
from runtime.context import Actor, CommandContext, use_context
from services.notifications.application import Notifications
from services.notifications.domain import MailStatus
from tests.support.mailserver import MailServer
from tests.support.notify_world import NotifyWorld, make_world

pytestmark = pytest.mark.smtp

ROOT = Path(__file__).resolve().parents[2]
PAST = datetime(2025, 4, 11, 9, tzinfo=UTC)  # the day after the 3-month limit of 10/04/2025
ADDRESSES = {"A": "an.nguyen@congdoan.example", "B": "binh.tran@congdoan.example",
             "C": "cuong.le@congdoan.example"}


@pytest.fixture
def server() -> Any:
    with MailServer() as running:
        yield running


def world_with(tmp_path: Path, server: MailServer, references: int = 1,
               **extra: str) -> tuple[NotifyWorld, Settings]:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    env = {"EMU_DATA_DIR": str(tmp_path / "data"), "EMU_MAIL_RETRY_DELAYS": "0,0",
           **server.env(), **extra}
    for service in ("registry", "initiatives", "reviews", "awards", "notifications"):
        env[f"{service.upper()}_DATABASE_URL"] = url
    settings = Settings(env)
    w = make_world(settings, FixedClock(datetime(2025, 1, 10, 9, tzinfo=UTC)))
    for number in range(1, references + 1):
        w.register(f"SK-{number:02d}", on="2025-01-10")
    w.feed()
    for letter, address in ADDRESSES.items():
        with w.as_(letter):
            w.notifications.set_email(True, address)
    w.at(PAST)
    return w, settings


def test_r3_4_past_the_deadline_one_mail_per_person_per_deadline_arrives_over_smtp(
        tmp_path: Path, server: MailServer) -> None:
    w, _ = world_with(tmp_path, server, references=2)
    assert w.notifications.tick()["sent"] == 6
    assert w.notifications.tick() == {"reminders": 0, "sent": 0, "skipped": 0, "failed": 0,
                                      "parked": 0}
    got = server.box.messages
    assert len(got) == 6
    assert Counter(m["To"] for m in got) == Counter({a: 2 for a in ADDRESSES.values()})
    with w.as_("A"):
        items = w.notifications.my_notifications()["items"]
    ids = {f"<{i['reminder_id']}@thongbao.thidua.invalid>" for i in items}
    assert ids == {m["Message-ID"] for m in got if m["To"] == ADDRESSES["A"]}
    assert all("Hạn xét công nhận sáng kiến" in str(m["Subject"]) for m in got)
    assert len(items) == 2 and {i["mail_status"] for i in items} == {"sent"}


class Killed(BaseException):
    """The process dying where it stands."""


def test_a_crash_after_the_server_accepted_sends_again_with_the_same_message_id(
        tmp_path: Path, server: MailServer, monkeypatch: pytest.MonkeyPatch) -> None:
    w, settings = world_with(tmp_path, server)
    w.notifications.scan()
    original = Notifications.save

    def dies_before_recording_a_sent_mail(self: Notifications, *objs: Any, **kw: Any) -> Any:
        if any(getattr(o, "mail_status", None) == "sent" for o in objs):
            raise Killed()
        return original(self, *objs, **kw)

    monkeypatch.setattr(Notifications, "save", dies_before_recording_a_sent_mail)
    with pytest.raises(Killed):
        w.notifications.send_mail(limit=1)
    monkeypatch.setattr(Notifications, "save", original)
    restarted = Notifications(settings, clock=w.clock)
    assert restarted.send_mail()["sent"] == 3
    ids = server.box.message_ids()
    assert len(ids) == 4 and len(set(ids)) == 3  # the one sent twice carries one Message-ID
    (twice,) = [i for i, n in Counter(ids).items() if n == 2]
    assert restarted.send_mail()["sent"] == 0
    assert twice.startswith("<") and twice.endswith("@thongbao.thidua.invalid>")


def test_an_unknown_address_or_an_absent_server_is_retried_then_parked_and_shown(
        tmp_path: Path, server: MailServer) -> None:
    server.box.refuse.add(ADDRESSES["C"])
    w, settings = world_with(tmp_path, server)
    assert w.notifications.tick() == {"reminders": 3, "sent": 2, "skipped": 0, "failed": 1,
                                      "parked": 0}
    assert w.notifications.send_mail() == {"sent": 0, "skipped": 0, "failed": 1, "parked": 0}
    assert w.notifications.send_mail() == {"sent": 0, "skipped": 0, "failed": 0, "parked": 1}
    assert w.notifications.send_mail() == {"sent": 0, "skipped": 0, "failed": 0, "parked": 0}
    with use_context(CommandContext(Actor("user:admin", "administrator"))):
        (parked,) = w.notifications.undelivered_mail()
    assert parked["attempts"] == 3 and "550" in parked["last_error"]
    with w.as_("C"):
        (item,) = w.notifications.my_notifications()["items"]
    assert item["mail_status"] == MailStatus.PARKED.value  # shown, and still in the app
    # no server at all: the same, retried and then parked, never lost
    nowhere = Notifications(Settings({**settings.env, "EMU_SMTP_PORT": "1"}), clock=w.clock)
    w.register("SK-09", on="2025-01-10")
    w.feed(nowhere)
    nowhere.scan()
    assert nowhere.send_mail()["failed"] == 3  # the new deadline's three mails
    nowhere.send_mail()
    assert nowhere.send_mail()["parked"] == 3
    with use_context(CommandContext(Actor("user:admin", "administrator"))):
        assert len(nowhere.undelivered_mail()) == 4


def test_a_sender_sigkilled_at_random_points_loses_no_mail_and_repeats_keep_their_message_id(
        tmp_path: Path, server: MailServer) -> None:
    w, settings = world_with(tmp_path, server, references=6)
    assert w.notifications.scan() == 18
    w.notifications.close()
    server.box.delay = 0.1
    env = {**os.environ, **settings.env, "EMU_FIXED_CLOCK": PAST.isoformat(),
           "PYTHONPATH": str(ROOT)}
    rng = random.Random(20251206)
    kills = 0
    for _ in range(60):
        child = subprocess.Popen([sys.executable, "-m", "tests.support.notify_sender"], env=env,
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            code = child.wait(timeout=rng.uniform(0.5, 2.5))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
            continue
        assert code == 0, child.stderr.read() if child.stderr else code
        break
    else:
        pytest.fail("the sender never finished")
    assert kills >= 1
    app = Notifications(settings, clock=FixedClock(PAST))
    ids = server.box.message_ids()
    expected = set()
    for letter in ADDRESSES:
        with w.as_(letter):
            items = app.my_notifications()["items"]
        assert len(items) == 6 and {i["mail_status"] for i in items} == {"sent"}
        expected |= {f"<{i['reminder_id']}@thongbao.thidua.invalid>" for i in items}
    assert set(ids) == expected  # none lost, none with another Message-ID
    repeats = len(ids) - len(set(ids))
    print(f"{kills} kills, {len(ids)} mails received for 18 reminders ({repeats} repeats)")
