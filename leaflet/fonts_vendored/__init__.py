"""Font families no PyPI package carries, shipped inside leaflet as fontpkg families.

Punjabi (Gurmukhi) and Gujarati are among the languages UK health boards name, but no
fontpkg (or other) package of a Gurmukhi or Gujarati face is on PyPI. Noto Sans Gurmukhi and
Noto Sans Gujarati (SIL Open Font License 1.1, which allows bundling them with software;
each folder holds its LICENSE) are therefore vendored here, Regular and Bold, unchanged, as
Debian's fonts-noto-core 20201225-1 ships them. Each folder has the `metadata.json` fontpkg
reads, and pyproject.toml registers it under fontpkg's `fontpkg.family` entry point, so
`fontpkg.path("Noto Sans Gurmukhi")` finds it like any installed family. Drop a folder (and
its entry point) once a package of that family is on PyPI.
"""
