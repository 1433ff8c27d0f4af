"""The demo year's script (``demo.activity``) without a system: what makes it safe to run on
every start of ``make run``."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

from demo.activity import PREFIX, USERS, step_names


def test_r5_3_each_demo_step_has_its_own_idempotency_key_so_a_later_start_repeats_none() -> None:
    names = step_names()
    assert len(names) > 100
    twice = [name for name, count in Counter(names).items() if count > 1]
    assert twice == []  # two commands under one key: the second would be refused, not done
    assert all(len(f"{PREFIX}/{name}#99") <= 128 and name.isprintable() for name in names)


def test_r5_2_the_demo_year_talks_to_the_gateway_only_over_http() -> None:
    """It imports nothing of the services, the gateway or the runtime (not even indirectly):
    everything it does, a front end could do."""
    found = subprocess.run(
        [sys.executable, "-c", "import sys, demo.activity; print(sorted({m.split('.')[0] "
         "for m in sys.modules} & {'services', 'gateway', 'runtime', 'contracts'}))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert found == "[]"


def test_the_demo_logins_are_valid_user_names_each_acting_in_one_union() -> None:
    assert len(USERS) == len({name.lower() for name in USERS})
    for name, (_person, role, union) in USERS.items():
        assert name.replace(".", "").isalnum() and len(name) <= 64
        assert role in {"member", "official", "executive", "standing", "auditor"} and union
