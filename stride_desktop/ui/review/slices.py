"""Work over many items done a slice per turn of the event loop, so that applying a large delta
(28,000 threats on 10,000 elements: badges, the threat table) never blocks the window."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

BUDGET_MS = 15.0  # per turn and feed (the badges and the table share turns): well under 100 ms
CHECK_EVERY = 16  # items between looks at the clock (work on one item takes microseconds)


class Slices(QObject):
    """Calls ``work(item)`` for every item queued by ``add``, as many per event-loop turn as fit
    in ``budget_ms``; ``flush()`` does the rest at once (before anything that needs it all)."""

    finished = Signal()  # the queue ran empty

    def __init__(
        self,
        work: Callable[[Any], None],
        *,
        parent: QObject | None = None,
        budget_ms: float = BUDGET_MS,
        check_every: int = CHECK_EVERY,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self.budget, self.check_every = budget_ms / 1000, check_every
        self._queue: deque[Any] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self.turns = 0  # event-loop turns the last batch took (tests, benchmarks)

    @property
    def busy(self) -> bool:
        return bool(self._queue)

    def add(self, items: Iterable[Any]) -> None:
        if not self._queue:
            self.turns = 0
        self._queue.extend(items)
        if self._queue:
            self._timer.start()

    def clear(self) -> None:
        self._queue.clear()
        self._timer.stop()

    def flush(self) -> None:
        if self._queue:
            self._run(float("inf"))

    def _step(self) -> None:
        self._run(time.perf_counter() + self.budget)
        if self._queue:
            self._timer.start()

    def _run(self, deadline: float) -> None:
        queue, work = self._queue, self._work
        self.turns += 1
        n = 0
        while queue:
            work(queue.popleft())
            n += 1
            if n % self.check_every == 0 and time.perf_counter() > deadline:
                return
        self._timer.stop()
        self.finished.emit()
