"""Wording that Australian health advertising law (the Health Practitioner Regulation National
Law, s 133, and Ahpra's advertising guidelines) does not allow on a practitioner's website.

The check is a safety net for staff, not legal advice: it catches the common slips
(testimonials, promises of a cure or a guaranteed result, "painless", "risk-free") before a
page is published.
"""

import re

_QUOTE = r"[\"“”]"
_NOT_QUOTE = r"[^\"“”]"

# Each pattern matches the offending phrase itself, so staff are shown the exact words to change.
_PATTERNS = [
    re.compile(r"\btestimonials?\b"),
    re.compile(r"\b(?:patients?|clients?|customers?) (?:say|says|said|love|loves|rave|tell us)\b"),
    re.compile(r"\b(?:5|five)[- ]stars?\b"),
    re.compile(r"\b(?:changed|saved) my life\b"),
    re.compile(r"\blife[- ]changing\b"),
    re.compile(r"\bcur(?:e|es|ed|ing)\b"),
    re.compile(r"\bguarantee(?:s|d)?\b"),
    re.compile(r"(?<![\d.,])100\s*(?:%|per\s*cent\b|percent\b)"),
    re.compile(r"\bpermanent(?:ly)? (?:fix|fixes|fixed|cure|relief|solution|results?)\b"),
    re.compile(r"\bmiracle(?:s)?\b|\bmiraculous(?:ly)?\b"),
    re.compile(r"\brisk[- ]free\b"),
    re.compile(r"\bpainless(?:ly)?\b"),
    # Promises of a result.
    re.compile(r"\bpain[- ]free\b"),
    re.compile(r"\bforever\b"),
    # Attributed praise ("Jane says: ...", "as one patient wrote") is a testimonial too.
    re.compile(r"\b\w+ (?:says|said|writes|wrote)\s*[:“\"]"),
    re.compile(r"\b(?:fixed|cured|healed|saved|changed) my\b"),
    # Superlatives that cannot be backed by evidence.
    re.compile(r"\b(?:the )?best (?:clinic|podiatrists?|podiatry|practitioners?|care|treatments?|results?)\b"),
    re.compile(r"\b(?:number one|no\. ?1)\b|#1\b"),
]

# The same words spelt out with spaces or punctuation between the letters ("c-u-r-e", "c u r e"),
# which read the same to a patient.
_SPELT_OUT = ("cure", "cured", "cures", "guarantee", "guaranteed", "painless", "miracle", "testimonial", "forever")
_PATTERNS += [re.compile(r"\b" + r"[\s\-_.*·•]{1,2}".join(map(re.escape, word)) + r"\b") for word in _SPELT_OUT]

# A quoted first-person recommendation is a testimonial even without any of the words above:
# "My knee pain is gone, I recommend them to everyone!"
_QUOTED = re.compile(f"{_QUOTE}({_NOT_QUOTE}{{3,300}}){_QUOTE}")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|my|me)\b")
_PRAISE = re.compile(
    r"\b(?:recommend\w*|amazing|best|fantastic|brilliant|incredible|wonderful|thank\w*|love[ds]?|"
    r"fixed|gone|healed|saved|changed|excellent|miracle)\b"
)


def find_forbidden_claims(text: str) -> list[str]:
    """The phrases in `text` that may not appear in published health advertising, in order,
    each once, as written in the text."""
    if not text:
        return []
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        spans.extend(match.span() for match in pattern.finditer(lowered))
    for match in _QUOTED.finditer(lowered):
        inner = match.group(1)
        if _FIRST_PERSON.search(inner) and _PRAISE.search(inner):
            spans.append(match.span())
    phrases: list[str] = []
    covered_to = -1
    # Longest first at each position, and a phrase inside one already reported is not repeated.
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if end <= covered_to:
            continue
        covered_to = max(covered_to, end)
        phrase = text[start:end]
        if phrase.lower() not in {p.lower() for p in phrases}:
            phrases.append(phrase)
    return phrases


def describe_claims(phrases: list[str]) -> str:
    return ", ".join(f"“{phrase}”" for phrase in phrases)
