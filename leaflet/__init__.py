"""leaflet: one YAML content file in; a patient leaflet PDF and a clinician slide deck PPTX out."""

from __future__ import annotations

__version__ = "0.1.0"
