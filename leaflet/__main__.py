"""`python -m leaflet`: the same as the `leaflet` command."""

from __future__ import annotations

from leaflet.launcher import main

main()
