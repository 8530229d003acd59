"""Editions: one composed, renderer-neutral account of what each output says.

`compose(document, spec)` turns validated content and an `EditionSpec` (audience, language,
type scale, page) into an `Edition`, a tree of typed blocks that the leaflet, the deck and any
later output draw. No renderer decides wording, order or alt text.
"""

from leaflet.edition.compose import Edition, compose
from leaflet.edition.spec import DEFAULT_EDITIONS, EDITIONS, EditionSpec

__all__ = ["DEFAULT_EDITIONS", "EDITIONS", "Edition", "EditionSpec", "compose"]
