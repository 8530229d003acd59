"""The one clock: the day the gates check review dates against and the build record notes."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable

from leaflet.errors import SettingError

now: Callable[[], dt.date] = dt.date.today
"""Where "today" comes from; tests and a long-running preview server may set it."""

MAX_SOURCE_DATE_EPOCH = 253_402_300_799
"""9999-12-31 23:59:59 UTC: a PDF date has four digits for the year."""


def today() -> dt.date:
    return now()


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) in seconds.

    None when it is unset or empty. reportlab dates the PDF by it; a value it cannot use would
    crash the render, so it is refused here, before any work, naming the variable.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    if not value:
        return None
    if re.fullmatch(r"[0-9]{1,12}", value) and int(value) <= MAX_SOURCE_DATE_EPOCH:
        return int(value)
    shown = value if len(value) <= 40 else value[:40] + "…"
    raise SettingError(
        f"SOURCE_DATE_EPOCH is {shown!r}, which is not a time: set it to whole seconds since"
        f" 1970-01-01 UTC, from 0 to {MAX_SOURCE_DATE_EPOCH} (like 1767225600), or unset it"
    )
