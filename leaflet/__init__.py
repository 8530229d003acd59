"""leaflet: one YAML content file in; a patient leaflet PDF and a clinician slide deck PPTX out."""

from __future__ import annotations

from leaflet.safety import harden_reportlab

__version__ = "0.1.0"

# before anything can import reportlab: it would otherwise run reportlab_mods.py and
# reportlab_settings.py from sys.path and honour RL_* environment variables
harden_reportlab()
