"""Emergency numbers by country, from leaflet/data/emergency.tsv (sources cited there)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def numbers() -> dict[str, str]:
    """Country code (ISO 3166-1 alpha-2) → the number a patient calls for an ambulance."""
    text = files("leaflet").joinpath("data/emergency.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            country, number, _source = line.split("\t")
            out[country] = number
    return out


def number_for(country: str) -> str | None:
    return numbers().get(country)
