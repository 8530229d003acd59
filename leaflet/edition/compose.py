"""compose(document, spec) -> Edition: what one output says, in what order, in which words.

A pure function of the validated content and the edition's spec. Every interface word comes
from the language's catalogue (leaflet.i18n), every condition word from the content; the
renderers only decide how the blocks look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from leaflet import inline
from leaflet.diagram.words import SceneWords
from leaflet.edition.blocks import (
    Block,
    BulletList,
    Callout,
    Card,
    Cards,
    Contact,
    Dates,
    Figure,
    Glossary,
    Governance,
    Item,
    Logo,
    Paragraph,
    Section,
    SourceItem,
    Sources,
    Table,
    Term,
    Text,
    TitleBlock,
    plain,
)
from leaflet.edition.spec import EditionSpec
from leaflet.fonts import script_fonts
from leaflet.i18n import Catalogue, capitalised, catalogue, sentence_case
from leaflet.inline import Run
from leaflet.model import Audience, Document, Name, Theme, WarningSign, Wording
from leaflet.model import Section as ContentSection
from leaflet.sites import SITES


@dataclass(frozen=True)
class Edition:
    """One output's content as a tree of typed blocks, in reading order."""

    spec: EditionSpec
    words: Catalogue
    """The interface catalogue, for the furniture a renderer adds (page numbers, "(cont.)")."""
    lang: str
    """The content's language tag, for the document's /Lang and the deck's `lang`."""
    theme: Theme
    """Colours (and the content's paper, which the spec may override: see `paper`)."""
    title: TitleBlock
    sections: tuple[Section, ...]
    glossary: Glossary | None
    sources: Sources
    contact: Contact
    governance: Governance
    topic: str
    """The condition's short name in the audience's words, plain."""
    signs: str
    """What is seen of it, in the audience's words, plain."""
    subject: str
    """A one-line description (the PDF's subject)."""
    keywords: tuple[str, ...]
    footer: tuple[Text, ...]
    """The running footer's lines (the page number is the renderer's)."""
    notice: str | None = None
    """"Translation not yet reviewed", in the edition's words, for an unreviewed translation."""

    @property
    def paper(self) -> str:
        """'A4' or 'letter': the spec's, else the content theme's."""
        return self.spec.paper or self.theme.paper

    @property
    def direction(self) -> str:
        return self.words.direction

    @property
    def audience(self) -> Audience:
        return self.spec.audience

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block in reading order."""
        tail: list[Block] = [self.glossary] if self.glossary else []
        return (self.title, *self.sections, *tail, self.sources, self.contact, self.governance)

    def section_of(self, kind: str) -> Section | None:
        return next((s for s in self.sections if s.kind == kind), None)


def rich(text: str) -> Text:
    """Content text, parsed from its markup."""
    return tuple(inline.parse(text))


def literal(text: str, bold: bool = False) -> Text:
    """Text that is never markup (a phone number, a joined list of names)."""
    return (Run(text, bold=bold),)


def join_text(
    words: Sequence[Text], words_of: Catalogue, conjunction: Literal["and", "or"]
) -> Text:
    """Runs joined as the language writes a series ("a, b or c"), each item's runs kept."""
    marks = [chr(0xE000 + i) for i in range(len(words))]
    shaped = words_of.join(marks, conjunction)
    out: list[Run] = []
    piece = ""
    for char in shaped:
        if char in marks:
            if piece:
                out.append(Run(piece))
                piece = ""
            out += words[marks.index(char)]
        else:
            piece += char
    if piece:
        out.append(Run(piece))
    return tuple(out)


FULL_STOPS = (".", "\u3002", "\u06d4", "\u0964")
"""Full stops a factor may end with: Latin, CJK, Urdu and Bengali/Gujarati/Punjabi (danda)."""


def unstopped(text: Text) -> Text:
    """The text without one full stop (and the spaces) at its end."""
    runs = list(text)
    while runs and not runs[-1].text.strip():
        runs.pop()
    if runs:
        last = runs[-1].text.rstrip()
        if last.endswith(FULL_STOPS) and not last.endswith(".."):
            last = last[:-1].rstrip()
        runs[-1] = replace(runs[-1], text=last)
    return tuple(r for r in runs if r.text)


Family = tuple[tuple[str, str], ...]
"""(edition id, language tag) of every output a build makes of one topic."""

ALSO_EDITIONS = ("leaflet", "leaflet-large", "web")
"""The editions a patient's leaflet points to (the deck is for clinicians, and a print-shop
file says what the leaflet says), in this order; a new patient edition is added here and
as an `edition.<id>` term in every catalogue."""

ALSO_SEPARATOR = " \u00b7 "
"""Between the other formats: a middle dot, read as a pause in every script shipped."""


def family_of(
    document: Document, editions: Sequence[str] = (), languages: Sequence[str] = ()
) -> Family:
    """The (edition, language) pairs the topic has: the content's editions (and any others
    built now), in its own language and then in each of `languages` (its translations)."""
    ids = list(dict.fromkeys([*document.editions, *editions]))
    own = document.meta.language
    others = [lang for lang in dict.fromkeys(languages) if lang != own]
    return tuple((e, lang) for lang in (own, *others) for e in ids)


def compose(document: Document, spec: EditionSpec, family: Family | None = None) -> Edition:
    """The edition of the document that spec describes; family: every (edition, language)
    the build makes, for the leaflet's "Also available" line (default: family_of(document))."""
    return _Composer(document, spec, family).edition()


def autonym(language: str, regional: bool = False) -> str:
    """A language's name in that language (Polski, العربية, 中文 (简体)), from CLDR: with its
    script where the tag names one; with its region only when `regional` (two editions in
    one language for two regions: English (United Kingdom), English (United States))."""
    from babel import Locale

    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, LookupError):
        return language
    name = locale.get_display_name() if regional or locale.script else locale.get_language_name()
    return capitalised(name or language)


class _Composer:
    def __init__(self, document: Document, spec: EditionSpec, family: Family | None) -> None:
        self.doc = document
        self.spec = spec
        self.family = family_of(document, (spec.id,)) if family is None else family
        self.audience: Audience = spec.audience
        self.words = catalogue(spec.locale or document.meta.language)

    # small helpers -------------------------------------------------------------------------
    def say(self, wording: Wording | Name) -> str:
        return wording.for_(self.audience)

    def text(self, wording: Wording | Name) -> Text:
        return rich(self.say(wording))

    def plain(self, wording: Wording | Name) -> str:
        return inline.plain(self.say(wording))

    def term(self, key: str, **fields: str) -> str:
        return self.words.term(key, **fields)

    def sentence_term(self, key: str, **fields: str) -> str:
        """A term whose fields are capitalised where a sentence of it begins with them
        ("… hand. Deposits on the hand …"), and left as they are elsewhere ("En la mano,
        depósitos …"): the catalogue, not the code, decides where a sentence starts."""
        marks = {name: chr(0xE000 + i) for i, name in enumerate(fields)}
        shaped = self.term(key, **marks)
        out = ""
        for char in shaped:
            name = next((n for n, m in marks.items() if m == char), None)
            if name is None:
                out += char
                continue
            before = out.rstrip()
            starts = not before or before[-1] in ".!?。！？۔।"
            out += capitalised(fields[name]) if starts else fields[name]
        return out

    def date(self, day: object) -> str:
        import datetime as dt

        assert isinstance(day, dt.date)
        return self.words.date(day)

    def site_word(self, site: str, side: str) -> str:
        word = self.words.site(site, self.audience)
        if side in ("left", "right") and SITES[site].paired:
            return self.term(f"side.{side}", site=word)
        return word

    @property
    def clinician(self) -> bool:
        return self.audience == "clinician"

    # the edition ---------------------------------------------------------------------------
    def edition(self) -> Edition:
        doc, meta = self.doc, self.doc.meta
        org = meta.organisation
        topic = self.plain(meta.topic)
        signs = self.plain(meta.signs) if meta.signs else topic
        sections = [self.section(s, n) for n, s in enumerate(doc.sections)]
        if (
            self.clinician
            and doc.section_with("warning_signs") is None
            and (doc.warning_signs or self.advice())
        ):
            sections.append(self.messages(None, -1))
        subtitle = meta.subtitle.for_(self.audience) if meta.subtitle else None
        governance = Governance(
            version=meta.version,
            published=self.date(meta.published),
            reviewed=self.date(meta.reviewed),
            next_review=self.date(meta.next_review),
            authors=tuple((a.name, a.role) for a in meta.authors),
            licence=meta.licence,
            credits=self.words.join(
                [
                    self.term("deck.author_role", name=a.name, role=a.role) if a.role else a.name
                    for a in meta.authors
                ]
            ),
            dates=Dates(meta.published, meta.reviewed, meta.next_review),
        )
        website = org.website.removeprefix("https://").removeprefix("http://").rstrip("/")
        contact_lines = [
            self.words.runs(
                "leaflet.footer_contact",
                organisation=org.name,
                phone=org.phone,
                website=(Run(website, url=org.website),),
            )
        ]
        if org.email:
            contact_lines.append((Run(org.email, url=f"mailto:{org.email}"),))
        if org.address:
            contact_lines.append(literal(org.address))
        contact = Contact(
            org.name,
            org.phone,
            org.website,
            org.email,
            org.address,
            tuple(contact_lines),
            web_address=meta.web_address,
            qr_alt=self.term("leaflet.qr_alt", url=meta.web_address),
            also=self.also(),
        )
        governance = replace(
            governance,
            lines=(
                self.words.runs(
                    "leaflet.footer_dates",
                    version=meta.version,
                    reviewed=governance.reviewed,
                    next_review=governance.next_review,
                ),
                self.colophon(governance.credits),
            ),
        )
        # The running footer (an artifact, no links): how to reach the organisation. Version
        # and review dates are in the body (`governance.lines`), read once by a screen reader.
        footer: tuple[Text, ...] = (
            self.words.runs(
                "leaflet.footer_contact", organisation=org.name, phone=org.phone, website=website
            ),
        )
        notice = self.term("leaflet.unreviewed") if self.spec.unreviewed else None
        if notice is not None:
            footer = (*footer, literal(notice, bold=True))
            governance = replace(governance, lines=(*governance.lines, literal(notice, bold=True)))
        keywords = (
            inline.plain(meta.topic.patient),
            inline.plain(meta.topic.clinician),
            self.term("leaflet.keywords"),
            *(self.words.site(s.id, "patient") for s in doc.sites),
        )
        logo = None
        if org.logo:
            alt = org.logo_alt or self.term("leaflet.logo_alt", organisation=org.name)
            logo = Logo(org.logo, alt)
        return Edition(
            spec=self.spec,
            words=self.words,
            lang=meta.language,
            theme=doc.theme,
            title=TitleBlock(
                org.name, self.text(meta.title), rich(subtitle) if subtitle else None, logo
            ),
            sections=tuple(sections),
            glossary=self.glossary(),
            sources=self.sources(),
            contact=contact,
            governance=governance,
            topic=topic,
            signs=signs,
            subject=inline.plain(subtitle) if subtitle else topic,
            keywords=keywords,
            footer=footer,
            notice=notice,
        )

    def also(self) -> Text:
        """The topic's other patient editions in this language, then its other languages by
        their own names: what this build makes, never what it might."""
        own = self.spec.locale or self.doc.meta.language
        this = "leaflet" if self.spec.print_shop else self.spec.id
        made = {(e, lang) for e, lang in self.family}
        formats = [
            self.term(f"edition.{e}") for e in ALSO_EDITIONS if e != this and (e, own) in made
        ]
        languages = list(dict.fromkeys(lang for _, lang in self.family if lang != own))
        base = [lang.split("-")[0] for lang in [own, *languages]]
        shown = [
            *formats,
            *(autonym(lang, base.count(lang.split("-")[0]) > 1) for lang in languages),
        ]
        if not shown:
            return ()
        return literal(self.term("leaflet.also", formats=ALSO_SEPARATOR.join(shown)))

    def section(self, section: ContentSection, number: int) -> Section:
        if section.block == "warning_signs":
            return self.messages(section, number)
        paragraphs = tuple(Paragraph(self.text(p)) for p in section.paragraphs)
        title = self.plain(section.heading)
        body: list[Block] = list(paragraphs)
        cue = self.term("deck.section_cue", title=title)
        if section.block == "sites":
            body += self.figures(title)
        elif section.block == "types":
            body += self.types(title)
            if self.doc.types:
                cue = self.term("deck.types_cue", title=title)
        elif section.block == "risk_factors":
            body.append(self.risks())
            cue = self.term("deck.risks_cue", title=title)
        elif section.block == "treatments":
            body += self.treatments(title)
            if self.doc.treatments:
                cue = self.treatments_cue(title)
        return Section(
            section.id, number, self.text(section.heading), section.block, tuple(body), cue
        )

    # the body-site diagram -----------------------------------------------------------------
    def scene_words(self, sites: Sequence[tuple[str, str]], hand: bool) -> SceneWords:
        labels = tuple(
            (site, side, capitalised(self.site_word(site, "both" if hand else side)))
            for site, side in sites
        )
        return SceneWords(
            labels=labels,
            front=self.term("diagram.front"),
            back=self.term("diagram.back"),
            palm=self.term("diagram.palm"),
            hand_left=self.term("diagram.hand_left"),
            hand_right=self.term("diagram.hand_right"),
            legend=capitalised(self.plain(self.doc.meta.signs or self.doc.meta.topic)),
            rtl=script_fonts(self.doc.meta.language).rtl,
        )

    def figures(self, title: str) -> list[Block]:
        from leaflet.diagram.scene import sites_on_view

        doc = self.doc
        sites = tuple((s.id, s.side) for s in doc.sites)
        merged = _merged(sites)
        marker = doc.meta.marker
        signs = self.plain(doc.meta.signs) if doc.meta.signs else self.plain(doc.meta.topic)
        if not self.clinician:
            words = [self.site_word(s, side) for s, side in merged]
            names = self.words.join(words)
            places = self.words.runs("leaflet.places", sites=self.words.join(words))
            alt = self.term("leaflet.figure_alt", signs=signs, sites=names)
            return [
                Figure(
                    view="body",
                    sites=sites,
                    words=self.scene_words(sites, False),
                    marker=marker,
                    alt=alt,
                    fallback=places,
                )
            ]
        topic = self.plain(doc.meta.topic)
        marks = self.term(f"marker.{marker}")
        cue_marks = self.term(f"marker.{marker}_cue")
        terms = tuple(capitalised(self.site_word(s, side)) for s, side in sites)
        listed = self.words.join([sentence_case(t) for t in terms])
        alt = self.term("deck.body_alt", marks=marks, topic=topic, sites=listed)
        out: list[Block] = [
            Figure(
                view="body",
                sites=sites,
                words=self.scene_words(sites, False),
                marker=marker,
                alt=alt,
                description=self.term(
                    "deck.body_cue", title=title, marks=cue_marks, signs=signs, sites=listed
                ),
                terms=terms,
                list_lead=self.term("deck.sites_shown"),
            )
        ]
        hand = tuple(sites_on_view(sites, "hand"))
        if hand:
            hand_terms = tuple(capitalised(self.site_word(s, side)) for s, side in hand)
            hand_listed = self.words.join([sentence_case(t) for t in hand_terms])
            hand_alt = self.term("deck.hand_alt", marks=marks, topic=topic, sites=hand_listed)
            out.append(
                Figure(
                    view="hand",
                    sites=hand,
                    words=self.scene_words(hand, True),
                    marker=marker,
                    alt=hand_alt,
                    description=self.sentence_term("deck.hand_cue", sites=hand_listed, signs=signs),
                    heading=literal(self.term("deck.hand_title", title=title)),
                    terms=hand_terms,
                    list_lead=self.term("deck.hand_sites"),
                )
            )
        return out

    # types, risk factors, treatments -------------------------------------------------------
    def types(self, title: str) -> list[Block]:
        doc = self.doc
        if not doc.types:
            return []
        if not self.clinician:
            cards = []
            for kind in doc.types:
                body = [Paragraph(self.text(kind.mechanism))]
                if kind.causes:
                    named = [self.text(doc.cause(c).name) for c in kind.causes]
                    series = join_text(named, self.words, "or")
                    body.append(Paragraph(self.words.runs("leaflet.caused_by", causes=series)))
                body += [Paragraph(self.text(e)) for e in kind.examples]
                if kind.note:
                    body.append(Paragraph(self.text(kind.note)))
                cards.append(Card(kind.id, self.text(kind.name), tuple(body)))
            return [Cards(tuple(cards))]
        rows = []
        row_notes = []
        for kind in doc.types:
            causes = [self.plain(doc.cause(c).name) for c in kind.causes]
            name, mechanism = self.plain(kind.name), self.plain(kind.mechanism)
            rows.append(
                (
                    (Paragraph(self.text(kind.name)),),
                    (Paragraph(self.text(kind.mechanism)),),
                    (
                        Paragraph(
                            literal(self.words.join(causes) or self.term("deck.none_recorded"))
                        ),
                    ),
                )
            )
            note = self.term("deck.type_note", name=name, mechanism=mechanism)
            if causes:
                note += self.term("deck.associated_with", conditions=self.words.join(causes))
            row_notes.append(note)
        table = Table(
            name="Comparison of types",
            header=(
                self.term("deck.type"),
                self.term("deck.mechanism"),
                self.term("deck.associated"),
            ),
            rows=tuple(rows),
            row_notes=tuple(row_notes),
            shares=(0.24, 0.44, 0.32),
            cue=self.term("deck.types_cue", title=title),
        )
        cards = []
        for kind in doc.types:
            name = self.plain(kind.name)
            body = [Paragraph(self.text(kind.mechanism), label=self.term("deck.mechanism_label"))]
            if kind.causes:
                causes = [self.plain(doc.cause(c).name) for c in kind.causes]
                body.append(
                    Paragraph(
                        literal(self.words.join(causes)), label=self.term("deck.associated_label")
                    )
                )
            body += [
                Paragraph(self.text(e), label=self.term("deck.example_label"))
                for e in kind.examples
            ]
            if kind.note:
                body.append(Paragraph(self.text(kind.note), label=self.term("deck.note_label")))
            notes = self.term("deck.type_cue", name=name, title=sentence_case(title))
            cards.append(Card(kind.id, self.text(kind.name), tuple(body), notes))
        return [table, Cards(tuple(cards))]

    def risks(self) -> BulletList:
        items = []
        for risk in self.doc.risk_factors:
            if self.clinician:
                text = literal(self.plain(risk.factor), bold=True)
            else:
                text = tuple(replace(r, bold=True) for r in self.text(risk.factor))
            if risk.why:
                # The catalogue's separator parts the factor from its explanation, whether or
                # not the author ended the factor with a full stop.
                text = self.words.runs(
                    "leaflet.risk_factor", factor=unstopped(text), why=self.text(risk.why)
                )
            aside = None
            if risk.advice:
                if self.clinician:
                    advice = Paragraph(self.text(risk.advice), label=self.term("deck.advice_label"))
                else:
                    advice = Paragraph(
                        self.words.runs("leaflet.our_advice", advice=self.text(risk.advice))
                    )
                aside = Callout("advice", (advice,))
            items.append(Item(text, aside=aside))
        return BulletList(tuple(items))

    def evidence(self, level: str) -> str:
        return self.term(f"evidence.{level}.{self.audience}")

    def treatments(self, title: str) -> list[Block]:
        doc = self.doc
        if not doc.treatments:
            return []
        if not self.clinician:
            signs = self.plain(doc.meta.signs) if doc.meta.signs else self.plain(doc.meta.topic)
            cards = []
            for t in doc.treatments:
                body = [Paragraph(self.text(t.what))]
                if t.for_types:
                    names = [sentence_case(self.plain(doc.type_(k).name)) for k in t.for_types]
                    body.append(
                        Paragraph(
                            self.words.runs(
                                "leaflet.used_for", signs=signs, types=self.words.join(names, "or")
                            )
                        )
                    )
                notes: list[Run] = [Run(self.evidence(t.evidence))]
                for caveat in t.caveats:
                    notes += [Run(" "), *self.text(caveat)]
                body.append(Paragraph(self.words.runs("leaflet.good_to_know", notes=notes)))
                cards.append(Card(t.id, self.text(t.name), tuple(body)))
            return [Cards(tuple(cards))]
        # content without types has no "for which type" column: every row would say "any type"
        typed = bool(doc.types)
        rows = []
        row_notes = []
        for t in doc.treatments:
            kinds = [self.plain(doc.type_(k).name) for k in t.for_types] or [
                self.term("deck.any_type")
            ]
            evidence = self.evidence(t.evidence)
            cell = (
                Paragraph(literal(evidence + ".", bold=True)),
                *(Paragraph(self.text(c)) for c in t.caveats),
            )
            kinds_cell = ((Paragraph(literal(self.words.join(kinds))),),) if typed else ()
            rows.append(
                (
                    (Paragraph(self.text(t.name)),),
                    (Paragraph(self.text(t.what)),),
                    *kinds_cell,
                    cell,
                )
            )
            caveats = " ".join(self.plain(c) for c in t.caveats)
            name, what = self.plain(t.name), self.plain(t.what)
            if typed:
                note = self.term(
                    "deck.treatment_note",
                    name=name,
                    types=self.words.join([sentence_case(k) for k in kinds]),
                    what=what,
                    evidence=sentence_case(evidence),
                )
            else:
                note = self.term(
                    "deck.treatment_note_untyped",
                    name=name,
                    what=what,
                    evidence=sentence_case(evidence),
                )
            row_notes.append(note + (f" {caveats}" if caveats else ""))
        header = (
            self.term("deck.treatment"),
            self.term("deck.what_it_is"),
            *((self.term("deck.for_which_type"),) if typed else ()),
            self.term("deck.evidence_caveats"),
        )
        return [
            Table(
                name="Treatments",
                header=header,
                rows=tuple(rows),
                row_notes=tuple(row_notes),
                shares=(0.22, 0.36, 0.17, 0.25) if typed else (0.26, 0.44, 0.30),
                cue=self.treatments_cue(title),
            )
        ]

    def treatments_cue(self, title: str) -> str:
        untyped = "" if self.doc.types else "_untyped"
        return self.term(f"deck.treatments_cue{untyped}", title=title)

    # warning signs -------------------------------------------------------------------------
    def advice(self) -> list[tuple[Wording, Wording]]:
        return [(r.factor, r.advice) for r in self.doc.risk_factors if r.advice]

    def messages(self, section: ContentSection | None, number: int) -> Section:
        doc = self.doc
        org = doc.meta.organisation
        if section is not None:
            heading = self.text(section.heading)
            paragraphs = [Paragraph(self.text(p)) for p in section.paragraphs]
            ident = section.id
        else:
            heading = literal(self.term("deck.tell_patients"))
            paragraphs = []
            ident = "tell-patients"
        title = plain(heading)
        emergency = [w for w in doc.warning_signs if w.urgency == "emergency"]
        clinic = [w for w in doc.warning_signs if w.urgency == "clinic"]
        if not self.clinician:
            # the emergency signs first, in the urgent callout under the section's heading;
            # the signs for the clinic after them, in a callout of their own
            groups: list[tuple[list[WarningSign], Text]] = []
            if emergency:
                dial = doc.meta.emergency_number() or ""
                groups.append((emergency, self.words.runs("leaflet.call_emergency", number=dial)))
            if clinic:
                groups.append((clinic, self.words.runs("leaflet.call_clinic", phone=org.phone)))
            callouts: list[Block] = []
            for signs, lead in groups:
                items = BulletList(tuple(Item(self.text(w)) for w in signs))
                if callouts:
                    callouts.append(Callout("clinic", (items,), lead=lead))
                else:
                    badge = self.term("leaflet.urgent")
                    callouts.append(Callout("urgent", (*paragraphs, items), lead=lead, badge=badge))
            return Section(ident, number, heading, "warning_signs", tuple(callouts))
        body: list[Block] = list(paragraphs)
        if emergency:
            dial = doc.meta.emergency_number() or ""
            body.append(
                BulletList(
                    tuple(Item(rich(w.clinician), quote=rich(w.patient)) for w in emergency),
                    lead=self.term("deck.seek_emergency", number=dial),
                )
            )
        if clinic:
            body.append(
                BulletList(
                    tuple(Item(rich(w.clinician), quote=rich(w.patient)) for w in clinic),
                    lead=self.term("deck.seek_review"),
                )
            )
        if self.advice():
            body.append(
                BulletList(
                    tuple(Item(rich(a.clinician), quote=rich(a.patient)) for _, a in self.advice()),
                    lead=self.term("deck.risk_advice"),
                )
            )
        body.append(
            Paragraph(
                (
                    Run(self.term("deck.patients_call"), bold=True),
                    Run(
                        self.term("deck.call_whom", organisation=org.name, phone=org.phone),
                        bold=True,
                    ),
                    Run(self.term("deck.or_visit", website=org.website)),
                )
            )
        )
        cue = self.term("deck.messages_cue", title=title)
        return Section(ident, number, heading, "warning_signs", tuple(body), cue)

    # glossary and sources ------------------------------------------------------------------
    def glossary(self) -> Glossary | None:
        if not self.doc.glossary:
            return None
        return Glossary(
            self.term("leaflet.glossary"),
            tuple(Term(g.term, rich(g.meaning)) for g in self.doc.glossary),
        )

    def colophon(self, credits: str) -> Text:
        """Who wrote it (with their roles), when it was published, and its licence."""
        meta = self.doc.meta
        return self.words.runs(
            "leaflet.colophon",
            authors=credits,
            published=self.date(meta.published),
            licence=meta.licence,
        )

    def sources(self) -> Sources:
        meta = self.doc.meta
        items = tuple(
            SourceItem(rich(s.citation), s.url, self.date(s.accessed) if s.accessed else None)
            for s in self.doc.sources
        )
        colophon = self.colophon(
            self.words.join(
                [
                    self.term("deck.author_role", name=a.name, role=a.role) if a.role else a.name
                    for a in meta.authors
                ]
            )
        )
        if self.clinician:
            return Sources(
                self.term("deck.references"),
                self.term("deck.references"),
                items,
                colophon,
                cue=self.term("deck.references_cue"),
            )
        return Sources(
            self.term("leaflet.sources"), self.term("leaflet.sources_bookmark"), items, colophon
        )


def _merged(sites: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Sites in content order; one given twice with different sides is on both sides."""
    merged: dict[str, str] = {}
    for site, side in sites:
        before = merged.get(site)
        merged[site] = side if before in (None, side) else "both"
    return list(merged.items())
