"""`python -m leaflet`: the same as the `leaflet` command."""

from __future__ import annotations

from leaflet.safety import isolate_sys_path

isolate_sys_path()

from leaflet.cli import main  # noqa: E402  (after the working directory left sys.path)

main()
