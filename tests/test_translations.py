"""Translations: the file beside the content, XLIFF out and back, the gates, translated builds."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from leaflet.cli import cli
from leaflet.edition import EDITIONS, compose
from leaflet.errors import ContentError
from leaflet.loader import load_located
from leaflet.translation import load_translation, places, source_hash, translated
from leaflet.xliff import parse_returned
from tests.phrases import english_phrases

ROOT = Path(__file__).resolve().parent.parent
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0", "m": "urn:oasis:names:tc:xliff:metadata:2.0"}
X = "{urn:oasis:names:tc:xliff:document:2.0}"


@pytest.fixture
def translated_project(project: Path) -> Path:
    """The shipped project with its translations."""
    shutil.copytree(ROOT / "translations", project / "translations")
    return project


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_units_are_keyed_by_ids_and_both_wordings_of_a_fact_share_a_group(document) -> None:
    found = places(document)
    unit = found["sections.about.paragraphs[0].patient"]
    assert unit.group == "sections.about.paragraphs[0]"
    assert found["sections.about.paragraphs[0].clinician"].group == unit.group
    assert unit.hash == source_hash(unit.text) and len(unit.hash) == 8
    assert "types.dystrophic.name.clinician" in found
    assert "risk_factors.steroid-injections.advice.patient" in found
    assert "glossary[0].term" in found
    # published identifiers stay as they are: phone, website, author names, sources
    assert not any(u.startswith(("sources", "meta.organisation.name")) for u in found)


def test_export_is_xliff_2_with_groups_notes_terms_hashes_and_existing_targets(
    translated_project: Path,
) -> None:
    code, out, _ = run(
        "translate", "export", "--lang", "es", str(translated_project / "content.yaml")
    )
    assert code == 0
    path = translated_project / "translations" / "es.xlf"
    assert out == f"wrote {path} (147 units, 147 already translated)\n"
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{X}xliff" and root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en-GB", "es")
    units = root.findall(".//x:unit", NS)
    assert len(units) == 147
    group = root.find(".//x:group[@name='sections.about.paragraphs[0]']", NS)
    assert [u.get("name") for u in group.findall("x:unit", NS)] == [
        "sections.about.paragraphs[0].patient",
        "sections.about.paragraphs[0].clinician",
    ]
    patient = group.find("x:unit", NS)
    notes = {n.get("category"): n.text for n in patient.findall(".//x:note", NS)}
    assert notes["reading-grade"] == "6"
    assert notes["audience"].startswith("patients and families")
    assert patient.find(".//m:meta[@type='source-hash']", NS).text == "27c15c1d"
    source = patient.find(".//x:source", NS)
    bold = source.find("x:pc", NS)
    assert bold.get("subType") == "xlf:b"
    term = bold.find("x:mrk", NS)
    assert (term.get("type"), term.text) == ("term", "calcinosis")
    assert term.get("value") == "Lumps of calcium that build up under the skin."
    target = patient.find(".//x:target", NS)
    assert "".join(target.itertext()).startswith("A veces el calcio se acumula")


@pytest.mark.parametrize("language", ["es", "pl", "ar", "ur", "zh-Hans", "fr"])
def test_every_export_is_valid_against_the_oasis_xliff_2_schema(
    translated_project: Path, language: str
) -> None:
    """A new language (fr: no targets yet) as well as each shipped one, checked by lxml with
    the OASIS schemas (core and metadata module; tests/data/xliff-2.0)."""
    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests/data/xliff-2.0/leaflet-export.xsd")))
    code, _, err = run(
        "translate", "export", "--lang", language, str(translated_project / "content.yaml")
    )
    assert code == 0, err
    document = etree.parse(str(translated_project / "translations" / f"{language}.xlf"))
    assert schema.validate(document), schema.error_log.filter_from_errors()[:3]
    # the check can fail: an element the schema does not allow is reported
    unit = document.find(".//x:unit", NS)
    etree.SubElement(unit, f"{X}bogus")
    assert not schema.validate(document)


def _fill(path: Path, targets: dict[str, str]) -> None:
    """Edit the exported file as a translator's tool does: lxml, targets only."""
    tree = etree.parse(str(path))
    for unit in tree.iterfind(".//x:unit", NS):
        if unit.get("name") in targets:
            segment = unit.find("x:segment", NS)
            etree.SubElement(segment, f"{X}target").text = targets[unit.get("name")]
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def test_round_trip_export_edit_import_keeps_comments_and_leaves_empty_targets_missing(
    project: Path,
) -> None:
    content = str(project / "content.yaml")
    assert run("translate", "export", "--lang", "pl", content)[0] == 0
    xlf = project / "translations" / "pl.xlf"
    _fill(xlf, {"meta.title.patient": "Złogi wapnia pod skórą"})
    code, out, err = run("translate", "import", str(xlf), content)
    target = project / "translations" / "pl.yaml"
    assert (code, err) == (0, "")
    assert out == f"imported 1 units into {target}, 146 left empty; 146 still to translate\n"
    text = target.read_text("utf-8")
    assert "  meta.title.patient:\n    source: 7f96696e\n    text: Złogi wapnia pod skórą\n" in text
    # a reviewer's comment survives the next import
    target.write_text(text.replace("units:\n", "units:\n  # checked by Ewa\n"), "utf-8")
    assert run("translate", "export", "--lang", "pl", content)[0] == 0
    _fill(xlf, {"meta.subtitle.patient": "Informacje dla pacjentów"})  # the title is a target
    assert run("translate", "import", str(xlf), content)[0] == 0
    again = target.read_text("utf-8")
    assert "  # checked by Ewa\n" in again
    assert again.index("meta.title.patient") < again.index("meta.subtitle.patient")
    translation = load_translation(target)
    assert set(translation.file.units) == {"meta.title.patient", "meta.subtitle.patient"}
    assert translation.file.status == "draft"


def test_import_refuses_a_unit_whose_english_changed_since_export(project: Path) -> None:
    content = project / "content.yaml"
    assert run("translate", "export", "--lang", "pl", str(content))[0] == 0
    xlf = project / "translations" / "pl.xlf"
    _fill(xlf, {"meta.title.patient": "Złogi wapnia", "meta.subtitle.patient": "Informacje"})
    text = content.read_text("utf-8")
    content.write_text(text.replace("Information for patients and families", "For patients"))
    code, out, err = run("translate", "import", str(xlf), str(content))
    line = next(n for n, row in enumerate(xlf.read_text().splitlines(), 1) if '"u3"' in row)
    assert code == 1
    assert err == (
        f"{xlf}:{line}:1: meta.subtitle.patient: the source text changed since this file was"
        f" exported (exported from 7bdcad44, {content}:12:14 is now"
        f" {source_hash('For patients')}); not imported: export again and translate the new"
        " text\n1 unit refused; the others were imported.\n"
    )
    assert out.startswith("imported 1 units into")


def test_a_stale_unit_is_a_warning_naming_both_places_and_an_error_under_strict(
    translated_project: Path,
) -> None:
    content = translated_project / "content.yaml"
    text = content.read_text("utf-8")
    content.write_text(text.replace("Classification, risk factors and management", "Overview"))
    es = translated_project / "translations" / "es.yaml"
    line = es.read_text("utf-8").splitlines().index("  meta.subtitle.clinician:") + 2
    code, out, _ = run("check", str(content))
    expected = (
        f"{content}:13:16: warning: meta.subtitle.clinician: this text changed since it was"
        f" translated into es ({translated_project}/translations/es.yaml:{line}:13: unit"
        f" 'meta.subtitle.clinician' was made from 12d41c19, the text is now"
        f" {source_hash('Overview')}) (update the translation and set its source to"
        f" {source_hash('Overview')} (or export, edit and import)) [translation-stale]"
    )
    assert code == 0 and expected in out.splitlines()
    assert run("check", "--strict", str(content))[0] == 1


def test_a_missing_unit_fails_the_build_naming_every_missing_place(
    translated_project: Path,
) -> None:
    content = translated_project / "content.yaml"
    es = translated_project / "translations" / "es.yaml"
    lines = es.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("  warning_signs[1].patient:\n")
    del lines[start : start + 3]
    es.write_text("".join(lines), "utf-8")
    code, _, err = run("build", str(content))
    assert code == 1
    assert (
        f"{content}:343:14: error: warning_signs[1].patient: no es translation of this text"
        f" ({translated_project}/translations/es.yaml has no unit 'warning_signs[1].patient');"
        " the es editions are not built, and never fall back to the original"
    ) in err
    assert not (translated_project / "output").exists()
    # the other languages still build when asked for by name
    code, out, _ = run("build", str(content), "--lang", "pl", "--only", "leaflet")
    assert code == 0 and "pl/calcinosis-cutis-leaflet.pdf" in out


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("meta.title.patient:", "meta.title.patien:"),
            "units.meta.title.patien: unknown unit 'meta.title.patien' (did you mean"
            " 'meta.title.patient'?)",
        ),
        (
            ("source: 7f96696e", "source: xyz"),
            "units.meta.title.patient.source: 'xyz' is not a source hash",
        ),
        (("language: es", "language: españ"), "language: 'españ' is not a language tag"),
        (
            ("status: draft", "status: reviewed"),
            "status: status is 'reviewed' but reviewer is not given",
        ),
        (
            ("clinician_reviewed: false", "clinician_reviewed: maybe"),
            "clinician_reviewed: expected yes or no",
        ),
        (
            ("translator: leaflet", "translatr: leaflet"),
            "translatr: unknown key 'translatr' (did you mean 'translator'?)",
        ),
    ],
)
def test_a_wrong_translation_file_is_a_located_message(
    translated_project: Path, edit: tuple[str, str], expected: str
) -> None:
    es = translated_project / "translations" / "es.yaml"
    es.write_text(es.read_text("utf-8").replace(*edit, 1), "utf-8")
    code, out, _ = run("check", str(translated_project / "content.yaml"))
    assert code == 1
    lines = [
        line
        for line in out.splitlines()
        if line.startswith(f"{translated_project}/translations/es.yaml:")
    ]
    assert any(expected in line for line in lines), lines


def test_a_duplicate_unit_is_refused_with_the_first_line(translated_project: Path) -> None:
    es = translated_project / "translations" / "es.yaml"
    text = es.read_text("utf-8")
    es.write_text(text + "  meta.title.patient:\n    source: 7f96696e\n    text: Otra\n", "utf-8")
    _, out, _ = run("check", str(translated_project / "content.yaml"))
    assert "duplicate key 'meta.title.patient' (first given at line 11; keep one)" in out


def test_hostile_xliff_is_refused_without_expanding_anything() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">'
        b'<!ENTITY f SYSTEM "file:///etc/passwd">]><xliff xmlns="urn:oasis:names:tc:xliff:'
        b'document:2.0" version="2.0" srcLang="en-GB" trgLang="es">&b;&f;</xliff>'
    )
    with pytest.raises(ContentError) as caught:
        parse_returned(bomb, "bomb.xlf")
    assert caught.value.lines()[0].startswith("bomb.xlf: has a DOCTYPE or ENTITY declaration")
    with pytest.raises(ContentError) as caught:
        parse_returned(b"<xliff version='1.2'/>", "old.xlf")
    assert "is not an XLIFF 2.0 file" in caught.value.lines()[0]


def test_a_file_from_another_tool_imports(project: Path) -> None:
    """As an agency's tool returns it: segments split, other metadata, states, a comment."""
    content = str(project / "content.yaml")
    xlf = project / "other.xlf"
    xlf.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- exported by a CAT tool -->\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:'
        'xliff:metadata:2.0" version="2.0" srcLang="en-GB" trgLang="es"><file id="f1">'
        '<unit id="u13" name="sections.about.paragraphs[0].patient" translate="yes">'
        '<mda:metadata><mda:metaGroup category="tool"><mda:meta type="x">1</mda:meta>'
        '</mda:metaGroup><mda:metaGroup category="leaflet"><mda:meta type="source-hash">27c15c1d'
        "</mda:meta></mda:metaGroup></mda:metadata>"
        '<segment id="1" state="final"><source>Sometimes…</source><target>A veces el calcio se'
        " acumula bajo la piel.</target></segment><ignorable><source> </source></ignorable>"
        '<segment id="2" state="final"><source>Doctors…</source><target>Los médicos lo llaman'
        ' <pc id="1" type="fmt" subType="xlf:b">calcinosis</pc>.</target></segment></unit>'
        "</file></xliff>",
        "utf-8",
    )
    code, _, _ = run("translate", "import", str(xlf), content)
    assert code == 0
    units = load_translation(project / "translations" / "es.yaml").file.units
    assert units["sections.about.paragraphs[0].patient"].text == (
        "A veces el calcio se acumula bajo la piel. Los médicos lo llaman **calcinosis**."
    )


@pytest.mark.parametrize("language", ["ar", "ur", "zh-Hans"])
def test_right_to_left_and_cjk_translations_compose_in_their_language(language: str) -> None:
    """The Document and editions in the language, every text from the translation."""
    path = ROOT / "translations" / f"{language}.yaml"
    document, located = load_located(ROOT / "content.yaml")
    translation = load_translation(path)
    doc, _ = translated(document, located, translation, "content.yaml", ROOT)
    assert doc.meta.language == language
    english = {p.text for p in places(document).values()}
    for unit, place in places(doc).items():
        assert place.text == translation.file.units[unit].text
    shown = [p.text for p in places(doc).values()]
    assert not any(text in english for text in shown if len(text) > 12), "untranslated text"
    for name in ("leaflet", "deck", "web"):
        from dataclasses import replace

        edition = compose(doc, replace(EDITIONS[name], unreviewed=True))
        assert edition.lang == language
        assert edition.notice == edition.words.term("leaflet.unreviewed")
        assert edition.direction == ("rtl" if language in ("ar", "ur") else "ltr")


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


SHIPPED_LANGUAGES = ("es", "pl", "ar", "ur", "zh-Hans")


def test_every_shipped_translation_is_there() -> None:
    assert sorted(p.stem for p in (ROOT / "translations").glob("*.yaml")) == sorted(
        SHIPPED_LANGUAGES
    )


def _squeezed(text: str) -> str:
    """The text without spaces, line ends or the direction marks pdftotext adds."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]+", "", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_shipped_language_builds_every_edition_in_its_own_words(
    translated_project: Path,
) -> None:
    """English and every translation in one build (each leaflet lists the others, so every
    script's font is made for more than one document): each edition reads back in its
    language, with its title, its notice and no English interface phrase; /Lang; veraPDF."""
    import pikepdf
    from pptx import Presentation

    from leaflet.i18n import catalogue
    from tests.pdfua_validate import page_missing, page_ua1, verapdf, verapdf_missing

    code, out, err = run("build", str(translated_project / "content.yaml"))
    assert code == 0, err
    output = translated_project / "output"
    assert (output / "calcinosis-cutis-leaflet.pdf").exists()
    pdfs = []
    for language in SHIPPED_LANGUAGES:
        notice = catalogue(language).term("leaflet.unreviewed")
        title = load_translation(translated_project / "translations" / f"{language}.yaml")
        title_text = title.file.units["meta.title.patient"].text
        phrases = [p for p in english_phrases(language) if len(p) > 3]  # "on" is Polish too
        for edition in ("leaflet", "leaflet-large"):
            path = output / language / f"calcinosis-cutis-{edition}.pdf"
            pdfs.append(path)
            text = _pdftotext(path)
            words = " ".join(text.split())
            assert _squeezed(notice) in _squeezed(text), (language, edition)
            assert _squeezed(title_text) in _squeezed(text), (language, edition)
            for phrase in phrases:
                found = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", words)
                assert found is None, (language, edition, phrase)
            with pikepdf.open(path) as pdf:
                assert str(pdf.Root.Lang) == language
        deck = Presentation(str(output / language / "calcinosis-cutis-deck.pptx"))
        deck_text = " ".join(
            shape.text_frame.text
            for slide in deck.slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
        assert notice in deck_text
        for phrase in ("Overview", "References", "Questions", "Version "):
            assert phrase not in deck_text, (language, phrase)
        page = (output / language / "calcinosis-cutis-web.html").read_text("utf-8")
        assert f'lang="{language}"' in page and notice in page
    assert "wrote" in out
    if verapdf_missing() is None:
        for path, report in verapdf(*pdfs).items():
            assert report.compliant, (path, report.failures[:5])
    if page_missing() is None:
        for path in pdfs:
            report = page_ua1(path)
            assert report.compliant, (path, report.failures[:5])


def test_a_library_topic_builds_its_translation_and_the_catalogue_lists_it(
    tmp_path: Path,
) -> None:
    import json

    library = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", library, ignore=shutil.ignore_patterns("output"))
    code, _, err = run("build", str(library), "--topic", "psoriasis", "--jobs", "1")
    assert code == 0, err
    output = library / "output"
    assert (output / "es" / "psoriasis-leaflet.pdf").exists()
    entry = json.loads((output / "psoriasis-catalogue.json").read_text("utf-8"))
    assert entry["translations"] == [{"language": "es", "reviewed": False}]
    page = (output / "index.html").read_text("utf-8")
    assert '<a href="es/psoriasis-leaflet.pdf" hreflang="es">es</a> (not yet reviewed)' in page


def test_spanish_and_polish_are_graded_by_their_own_formulas() -> None:
    from leaflet.checks.readability import measure, syllables_in

    assert [syllables_in(w, "es") for w in ("calcio", "aceite", "país", "hinchazón")] == [
        2,
        3,
        2,
        3,
    ]
    assert [syllables_in(w, "pl") for w in ("się", "pojawiają", "nierozpuszczalnych")] == [1, 4, 5]
    spanish = measure(["El gato come."], language="es")  # 3 words, 5 syllables, 1 sentence
    assert spanish.fernandez_huerta == pytest.approx(206.84 - 0.60 * 500 / 3 - 1.02 * 3 / 1)
    assert spanish.formula.startswith("Fernández-Huerta ease 103.8")
    polish = measure(["Ala ma kota i psa, a pies ma nierozpuszczalnych wrogów."], language="pl")
    assert (polish.words, polish.long_words) == (10, 1)
    assert polish.grade == round((10**2 + 10**2) ** 0.5 / 2, 1)


def test_site_words_are_found_as_each_language_writes_them() -> None:
    """Arabic joins 'and' to the next word, Urdu inflects after a postposition, Chinese has no
    spaces: each translation's where-section names the sites the diagram draws."""
    from leaflet.checks.consistency import sites_named

    assert sites_named("على الأصابع والمرفقين والوجه والكتفين.", "ar") == {
        "fingers",
        "elbows",
        "face",
        "shoulders",
    }
    assert sites_named("المرفقان والركبتان", "ar") == {"elbows", "knees"}
    assert sites_named("وجهة نظر", "ar") == set()  # a longer word is not the face
    assert sites_named("انگلیوں، کہنیوں، چہرے اور کندھوں پر", "ur") == {
        "fingers",
        "elbows",
        "face",
        "shoulders",
    }
    assert sites_named("硬块最常长在手指、肘部、面部和肩部。", "zh-Hans") == {
        "fingers",
        "elbows",
        "face",
        "shoulders",
    }
    assert sites_named("长在指尖", "zh-Hans") == {"fingertips"}  # not also the fingers


def test_sentences_end_at_each_script_s_full_stop() -> None:
    from leaflet.checks.readability import sentences

    assert len(sentences("یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔")) == 2
    assert len(sentences("هل هذا سؤال؟ نعم.")) == 2
    assert sentences("第一句。第二句！第三句？") == ["第一句。", "第二句！", "第三句？"]


def test_the_also_line_names_languages_by_their_own_names() -> None:
    from leaflet.edition.compose import autonym

    assert [autonym(t) for t in ("en-GB", "es", "pl", "zh-Hans", "zh-Hant")] == [
        "English",
        "Español",
        "Polski",
        "中文 (简体)",
        "中文 (繁體)",
    ]
    assert autonym("en-GB", regional=True) == "English (United Kingdom)"


def test_a_second_build_of_every_language_is_up_to_date_until_a_translation_changes(
    translated_project: Path,
) -> None:
    content = str(translated_project / "content.yaml")
    code, first, err = run("build", content, "--only", "web")
    assert code == 0, err
    code, first, err = run("build", content)
    assert code == 0, err
    assert first.count("wrote ") == 4 * (1 + len(SHIPPED_LANGUAGES))
    code, again, _ = run("build", content)
    assert code == 0
    lines = again.splitlines()
    assert len(lines) == 4 * (1 + len(SHIPPED_LANGUAGES))
    assert all(line.startswith("up to date: ") for line in lines), again
    es = translated_project / "translations" / "es.yaml"
    es.write_text(es.read_text("utf-8").replace("status: draft", "status: draft  # x"), "utf-8")
    code, after, _ = run("build", content)
    assert code == 0
    assert "wrote " in after and "es/calcinosis-cutis-leaflet.pdf" in after


def test_a_linked_translations_folder_is_never_written_through(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (project / "translations").symlink_to(outside, target_is_directory=True)
    content = str(project / "content.yaml")
    code, _, err = run("translate", "export", "--lang", "pl", content)
    assert code == 1
    assert "translations: is a link; translations are written only into a real folder" in err
    assert list(outside.iterdir()) == []
