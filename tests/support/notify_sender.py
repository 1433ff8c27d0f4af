"""A notifications sender as its own process, for the test that kills it at random points:
``python -m tests.support.notify_sender`` sends every e-mail owed (its settings from the
environment: the store, the SMTP server, the fixed clock) and exits 0 once none is left."""

from __future__ import annotations

import sys

from runtime.config import Settings
from services.notifications.application import Notifications


def main() -> int:
    app = Notifications(Settings.from_env())
    try:
        while app.model.due_mail(app.clock.now(), 1):
            app.send_mail(limit=1)
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
