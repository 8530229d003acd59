"""`python -m leaflet`: the same as the `leaflet` command."""

from __future__ import annotations

from leaflet.launcher import main

if __name__ == "__main__":  # not when the preview's build process imports this module
    main()
