"""The clinic's own copy stays plain (reading grade 8 or lower), Australian, and within what
Australian health advertising law allows."""

import re
import tomllib
from functools import cache
from pathlib import Path

import pyphen
import pytest

from conditions.compliance import find_forbidden_claims

ROOT = Path(__file__).resolve().parent.parent
CONTENT_FILES = sorted((ROOT / "conditions" / "content").rglob("*.toml")) + [
    ROOT / "bookings" / "content" / "services.toml"
]
COPY_TEMPLATES = [
    ROOT / "templates" / name
    for name in ("includes/home_content.html", "privacy_content.html", "accessibility_content.html", "home.html")
]
US_SPELLINGS = re.compile(
    r"\b(customiz|personaliz|recogniz|organiz|analyz|minimiz|color|center|behavior|favor|pediatric|orthopedic)\w*",
    re.I,
)


@cache
def _dictionary():
    return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    return max(1, len(_dictionary().positions(word)) + 1)


def flesch_kincaid_grade(text: str) -> float:
    sentences = [s for s in re.split(r"[.!?]+(?:\s|$)|\n\s*[-*\d]", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    syllables = sum(_syllables(word) for word in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def _prose(path: Path) -> str:
    if path.suffix == ".toml":
        data = tomllib.loads(path.read_text("utf-8"))
        parts = []
        for value in data.values():
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, list):
                parts.extend(str(v) if not isinstance(v, dict) else " ".join(map(str, v.values())) for v in value)
        return "\n".join(parts)
    text = re.sub(r"\{[%{#].*?[%}#]\}", " ", path.read_text("utf-8"), flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_the_readability_measure_tells_plain_from_dense_text():
    plain = "Your calf has two muscles. Only one crosses the knee. It helps you point your foot."
    dense = (
        "Gastrocnemius musculotendinous insufficiency predominantly manifests consequent to eccentric overloading "
        "during simultaneous knee extension and ankle dorsiflexion, particularly in deconditioned individuals."
    )
    assert flesch_kincaid_grade(plain) < 5
    assert flesch_kincaid_grade(dense) > 12


@pytest.mark.parametrize("path", CONTENT_FILES + COPY_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_copy_reads_at_grade_8_or_lower(path):
    assert flesch_kincaid_grade(_prose(path)) <= 8


@pytest.mark.parametrize("path", CONTENT_FILES + COPY_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_copy_uses_australian_spelling_and_makes_no_forbidden_claims(path):
    prose = _prose(path)
    assert US_SPELLINGS.findall(prose) == []
    assert find_forbidden_claims(prose) == []
