"""Process hardening: reportlab loads no outside code or settings, and imports stay in the tool."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Sequence

SECURE_RL_SETTINGS: dict[str, object] = {
    "trustedHosts": None,
    "trustedSchemes": [],
    "toColorCanUse": None,
    "warnOnMissingFontGlyphs": 0,
}
"""reportlab settings forced in code: fetch no URL or file by name, never evaluate colour text."""

# reportlab imports these from anywhere on sys.path (the working directory under `python -m`)
# or from ~/.reportlab_mods and ~/.reportlab_settings, and executes them.
_HOOK_MODULES = ("reportlab_mods", "reportlab_settings", "reportlab.local_rl_mods")
_LOCAL_SETTINGS = "reportlab.local_rl_settings"


def harden_reportlab() -> None:
    """Make reportlab's start-up read only its own defaults and ours; safe to call repeatedly.

    Must run before reportlab is first imported; `leaflet/__init__.py` calls it, so any import of
    the tool does. If reportlab is already loaded (a host program imported it), our settings are
    applied to its live config instead.
    """
    for name in [k for k in os.environ if k.startswith("RL_")]:
        del os.environ[name]  # rl_config reads RL_<setting> overrides at import and on reset
    settings = types.ModuleType("reportlab_settings", "leaflet's fixed reportlab settings")
    settings.__dict__.update(SECURE_RL_SETTINGS)
    settings.__all__ = list(SECURE_RL_SETTINGS)  # type: ignore[attr-defined]
    if "reportlab" not in sys.modules:
        for name in _HOOK_MODULES:
            sys.modules[name] = types.ModuleType(name, "disabled by leaflet.safety")
        sys.modules["reportlab_settings"] = settings
        sys.modules[_LOCAL_SETTINGS] = types.ModuleType(_LOCAL_SETTINGS)
    rl_config = sys.modules.get("reportlab.rl_config")
    if rl_config is not None:
        apply_reportlab_settings(rl_config)


def apply_reportlab_settings(rl_config: types.ModuleType) -> None:
    """Set our secure values on a loaded reportlab.rl_config."""
    for key, value in SECURE_RL_SETTINGS.items():
        setattr(rl_config, key, list(value) if isinstance(value, list) else value)


def isolate_sys_path(arguments: Sequence[str] = ()) -> None:
    """Drop from sys.path the working folder and the folder of every file the command names.

    `python -m` puts the working folder first, and `PYTHONPATH=.` (a habit in CI files) puts it,
    or a content folder, before the installed packages: a click.py, pptx.py or PIL/ that a pull
    request adds there would run when imported. Both entry points call this after the leaflet
    package itself is loaded and before anything else is. The folder leaflet itself came from
    stays (a source checkout run as `python -m leaflet`). Raises OSError when the working folder
    no longer exists.
    """
    cwd = os.getcwd()
    here = os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    untrusted = {os.path.realpath(cwd)}
    for argument in arguments:
        if os.path.isfile(argument):
            untrusted.add(os.path.realpath(os.path.dirname(os.path.abspath(argument))))
        elif os.path.isdir(argument):
            untrusted.add(os.path.realpath(argument))
    untrusted.discard(here)
    sys.path[:] = [e for e in sys.path if os.path.realpath(e or cwd) not in untrusted]
