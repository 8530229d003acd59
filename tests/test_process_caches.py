"""What a process keeps between renders never leaks from one content into another's output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent

RENDER = """
import hashlib, json, sys
from pathlib import Path
from leaflet.loader import load
from leaflet.build import render_edition
from leaflet.edition import EDITIONS
from leaflet.renderers import Options
digests = []
for content in sys.argv[1:]:
    path = Path(content)
    document = load(path)
    options = Options(project_dir=path.parent)
    editions = [("leaflet", "A4"), ("leaflet", "letter"), ("leaflet-large", "A4"), ("deck", None)]
    for name, paper in editions:
        spec = EDITIONS[name].with_paper(paper)
        digests.append(hashlib.sha256(render_edition(document, spec, options).data).hexdigest())
print(json.dumps(digests))
"""


def _renders(*contents: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RENDER, *map(str, contents)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return list(json.loads(done.stdout))


def _other_project(folder: Path) -> Path:
    """The shipped content with other sites, title, wording, colours and logo."""
    shutil.copytree(ROOT / "assets", folder / "assets")
    Image.new("RGB", (240, 120), (180, 40, 40)).save(folder / "assets" / "logo.png")
    text = (ROOT / "content.yaml").read_text("utf-8")
    for old, new in [
        ("sites: [fingers, elbows, face, shoulders]", "sites: [knees, fingers, elbows]"),
        ("patient: Calcium deposits under the skin", "patient: Hard lumps under the skin"),
        ("The lumps are white.", "The lumps are white or pale yellow."),
        ("topic: {patient: calcium deposits,", "topic: {patient: hard lumps,"),
        ("meta:\n", "theme:\n  primary: '#2d5016'\n  paper: letter\nmeta:\n"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    (folder / "content.yaml").write_text(text, "utf-8")
    return folder / "content.yaml"


def test_renders_in_one_process_match_renders_in_fresh_ones(tmp_path: Path) -> None:
    shipped, other = ROOT / "content.yaml", _other_project(tmp_path)
    alone_shipped, alone_other = _renders(shipped), _renders(other)
    # every output differs (large print is drawn large: no longer a copy of the standard)
    assert len(set(alone_shipped + alone_other)) == len(alone_shipped + alone_other) == 8
    # one process: the shipped content, the other, then the shipped content again
    assert _renders(shipped, other, shipped) == alone_shipped + alone_other + alone_shipped
    # and a second render of the same content in one process is the same file
    assert _renders(other, other) == alone_other * 2
