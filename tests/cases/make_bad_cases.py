"""Regenerate the bad-content cases from the starter (then review and refresh .expected files)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
base = (ROOT / "leaflet/data/starter.yaml").read_text()
out = ROOT / "tests/cases/bad"


def case(name, old, new, text=None):
    t = text if text is not None else base
    if old is not None:
        assert old in t, (name, old)
        t = t.replace(old, new, 1)
    (out / f"{name}.yaml").write_text(t)


case("misspelt-top-key", "sections:", "sectons:")
case("misspelt-meta-key", "  licence: CC BY 4.0", "  license: CC BY 4.0")
case("misspelt-deep-key", "      - patient: Small lumps", "      - pateint: Small lumps")
case(
    "wrong-type-in-list",
    "      - patient: Small lumps can form under the skin of the knees.",
    "      - patient: [Small, lumps]",
)
case(
    "bad-indentation",
    "  title:\n    patient: Lumps on the knees",
    "  title:\n    patient: Lumps on the knees\n   clinician: x",
)
case("empty-file", None, None, text="")
case("not-yaml", None, None, text="%PDF-1.7\n\x00\x01binary")
case("not-a-mapping", None, None, text="- just\n- a list\n")
case("yaml-tag", '  version: "0.1"', '  version: !!python/object:os.system "0.1"')
case("alias", "sites: [knees]", "sites: &s [knees]\nsections_copy: *s")
case("duplicate-key", "  licence: CC BY 4.0", "  licence: CC BY 4.0\n  licence: MIT")
case("missing-required", "    phone: 01632 960 000\n", "")
case("unknown-site", "sites: [knees]", "sites: [knees, elbow]")
case("unknown-site-far", "sites: [knees]", "sites: [spleen]")
case("bad-date", "  published: 2026-01-01", "  published: 1st January")
case("dates-out-of-order", "  next_review: 2027-01-01", "  next_review: 2025-01-01")
case("bad-block", "    block: warning_signs", "    block: warnings")
case(
    "unknown-reference",
    "sites: [knees]",
    "sites: [knees]\ntypes:\n  - id: one\n    name: {patient: a, clinician: b}\n"
    "    mechanism: {patient: a, clinician: b}\n    causes: [lupus]",
)
case(
    "bad-link-scheme",
    "      - patient: Small lumps can form under the skin of the knees.",
    "      - patient: See [this](javascript:alert(1)) page.",
)
case("tab-indent", "  slug: my-leaflet", "\tslug: my-leaflet")
case(
    "control-char",
    "      - patient: Small lumps can form under the skin of the knees.",
    '      - patient: "Small \\x07lumps"',
)
case("two-documents", None, None, text=base + "---\nmeta: {}\n")
case("bad-colour", "sites: [knees]", "theme:\n  primary: blue\nsites: [knees]")
case("empty-required-value", "  licence: CC BY 4.0", "  licence:")
case("several-problems", "  licence: CC BY 4.0", "  license: CC BY 4.0\n  version_: 2")
case(
    "disallowed-link-scheme",
    "      - patient: Small lumps can form under the skin of the knees.",
    "      - patient: See [this page](javascript:alert) now.",
)
case("misspelt-site-side", "sites: [knees]", "sites:\n  - id: knees\n    side: leftt")
case(
    "unused-warning-signs",
    "    block: warning_signs",
    "    paragraphs:\n      - {patient: a, clinician: b}",
)
case("id-used-twice", "  - id: where", "  - id: about")
case(
    "no-sources",
    "sources:\n  - citation: Write where each fact comes from, with a link if there is one.\n",
    "sources: []\n",
)
case("bad-version", '  version: "0.1"', "  version: first")
