"""The one clock: the day the gates check review dates against and the build record notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

now: Callable[[], dt.date] = dt.date.today
"""Where "today" comes from; tests and a long-running preview server may set it."""


def today() -> dt.date:
    return now()
