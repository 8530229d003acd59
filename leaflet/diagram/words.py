"""Every word a body-site diagram shows, given by the edition in its own language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SceneWords:
    """The diagram's labels, captions and legend, in the edition's language and audience."""

    labels: tuple[tuple[str, str, str], ...]
    """(site id, side, label) for each site drawn."""
    front: str
    back: str
    palm: str
    """The hand close-up's caption when both hands are meant."""
    hand_left: str
    hand_right: str
    legend: str | None
    """What the marks are ("Calcium deposits"), beside a sample mark; None for no legend."""
    rtl: bool = False
    """The language runs right to left: labels take the mirrored places (a site on both sides
    is labelled on the other side; a site on one side keeps its side, which is anatomy)."""

    def label(self, site: str, side: str) -> str:
        for known, known_side, text in self.labels:
            if known == site and known_side == side:
                return text
        for known, _, text in self.labels:
            if known == site:
                return text
        raise ValueError(f"no label for body site {site!r}")
