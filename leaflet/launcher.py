"""Where the `leaflet` command starts: a safe sys.path and a working folder, then the CLI."""

from __future__ import annotations

import sys

from leaflet.safety import isolate_sys_path

GONE = (
    "error: the working folder no longer exists (it was deleted or moved);"
    " change to a folder that exists and run again"
)


def main() -> None:
    """The installed `leaflet` command and `python -m leaflet`.

    Nothing outside the standard library and the leaflet package is imported before sys.path
    has lost the working folder and the content's folder, so that a module a pull request puts
    there (click.py, pptx.py, PIL/) is never the one imported, even with `PYTHONPATH=.`.
    """
    try:
        isolate_sys_path(sys.argv[1:])
    except OSError:  # os.getcwd(): reportlab and relative paths need the working folder
        sys.stderr.write(GONE + "\n")
        raise SystemExit(1) from None
    from leaflet.cli import main as run  # only now: click and the rest, from the installation

    run()
