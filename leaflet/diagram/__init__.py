"""Body-site diagrams: one renderer-neutral scene, drawn by reportlab, python-pptx and Pillow."""

from __future__ import annotations

from leaflet.diagram.scene import Marker, Scene, build_scene, sites_on_view

__all__ = ["Marker", "Scene", "build_scene", "sites_on_view"]
