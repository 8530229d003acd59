"""Noto Sans Gujarati as a fontpkg family (see leaflet/fonts_vendored/__init__.py)."""
