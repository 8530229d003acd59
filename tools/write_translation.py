"""Write translations/<lang>.yaml beside a content file from a draft of `unit id: text` lines.

For maintainers drafting a translation by hand: every unit gets the hash of the content's
current text, and the file is marked an unreviewed draft. Usage:
    python tools/write_translation.py CONTENT DRAFT.yaml LANG
"""

from __future__ import annotations

import sys
from pathlib import Path

from leaflet.build import write_all
from leaflet.loader import load
from leaflet.translation import TRANSLATIONS_DIR, UNREVIEWED_TRANSLATOR, places
from leaflet.xliff import write_units


def main(content: Path, draft: Path, language: str) -> None:
    document = load(content)
    wanted = places(document)
    texts = {}
    for line in draft.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            unit, _, text = line.partition(": ")
            texts[unit.strip()] = text.strip().removeprefix("'").removesuffix("'")
    unknown = [u for u in texts if u not in wanted]
    if unknown:
        raise SystemExit(f"{draft}: no such units: {', '.join(unknown)}")
    units = {u: (wanted[u].hash, str(texts[u])) for u in wanted if u in texts}
    target = content.parent / TRANSLATIONS_DIR / f"{language}.yaml"
    header = {
        "translator": UNREVIEWED_TRANSLATOR,
        "reviewer": None,
        "reviewed_on": None,
        "clinician_reviewed": False,
        "status": "draft",
    }
    write_all({target: write_units(target, language, units, wanted, header)})
    print(f"wrote {target} ({len(units)} of {len(wanted)} units)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
