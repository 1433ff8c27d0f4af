"""What an administrator with write access to a store's database could do, for the tests
that prove only a checkpoint kept or published outside the store reveals it (R5.1)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def rewrite_whole(app: Any, last: bool = False) -> int:
    """Changes one event's payload (the first, or the last) and recomputes every link of the
    store's hash chain, so that the chain agrees with itself again. The event's position."""
    chain = app.recorder.chain
    events = chain.events
    with app.engine.begin() as c:
        target = c.execute(sa.select(events).order_by(
            events.c.id.desc() if last else events.c.id).limit(1)).one()
        state = bytearray(target.state)
        state[len(state) // 2] ^= 1
        c.execute(events.update().where(events.c.id == target.id).values(state=bytes(state)))
        c.execute(chain.table.delete())
        chain.backfill(c)
    return int(target.id)
