"""Fill rule texts so that they read as sentences: no "Container Container can ...".

A template often names the kind of thing before its name ("Container {name} runs as root"). When
the element's name already says it ("Container", "kubelet (worker-1)", "Engine API
tcp://0.0.0.0:2375" for "Engine API endpoint {name}"), that label is left out: the name alone
reads "kubelet (worker-1) allows anonymous requests". The label is the run of words right before
the placeholder, back to a word that cannot be part of a name's label (articles, prepositions,
verbs such as "reaches"); it is dropped when any of its words is also a word of the name.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

_WORD = re.compile(r"[A-Za-z0-9]+")
_PLACEHOLDER = re.compile(r"\{(name|source|target)\}")
# Words that end a label looking backwards from the placeholder.
_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "to",
        "for",
        "by",
        "from",
        "with",
        "through",
        "under",
        "into",
        "onto",
        "over",
        "at",
        "as",
        "when",
        "who",
        "which",
        "that",
        "is",
        "are",
        "be",
        "can",
        "may",
        "opens",
        "open",
        "reaches",
        "reach",
        "reaching",
        "runs",
        "run",
        "lets",
        "let",
        "makes",
        "make",
        "allows",
        "allow",
        "mounts",
        "mount",
        "uses",
        "use",
        "via",
        "than",
        "not",
        "no",
        "every",
        "each",
        "all",
        "any",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "anyone",
        "someone",
        "nobody",
        "everyone",
        "outsider",
        "attacker",
        "intruder",
        "clients",
        "client",
        "peers",
        "callers",
        "controls",
        "control",
        "between",
        "within",
        "inside",
        "outside",
        "behind",
        "across",
        "about",
    }
)
_MIN_WORD = 3  # shorter label words ("a", "of") never decide


@lru_cache(maxsize=1 << 16)  # a model's names: read once per threat of the target
def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if len(w) >= _MIN_WORD)


def _pieces(template: str) -> list[tuple[str, str, str, frozenset[str]]]:
    """Pieces of the template: (text before the label, label, placeholder name, label words);
    the text after the last placeholder is a final piece with an empty placeholder."""
    pieces: list[tuple[str, str, str, frozenset[str]]] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        before = template[pos : match.start()]
        tokens = re.split(r"(\s+)", before)
        # walk back over "word space" pairs while the word may belong to a label
        cut = len(tokens)
        if cut and tokens[-1] == "":
            cut -= 1
        while cut >= 2 and tokens[cut - 1].isspace():
            word = tokens[cut - 2]
            if not word or "{" in word or word.lower() in _STOP or word.strip(",.;:()") != word:
                break
            cut -= 2
        head, label = "".join(tokens[:cut]), "".join(tokens[cut:])
        pieces.append((head, label, match.group(1), _words(label)))
        pos = match.end()
    pieces.append((template[pos:], "", "", frozenset()))
    return pieces


class _Template:
    """A template as format strings: one per choice of the labels to keep (a bit each), made
    when first needed, so rendering is one ``format_map`` after a few set tests."""

    __slots__ = ("labels", "pieces", "variants")

    def __init__(self, template: str):
        self.pieces = _pieces(template)
        # (bit, placeholder, label words) of each placeholder that has a label
        self.labels = tuple(
            (1 << i, key, words) for i, (_, label, key, words) in enumerate(self.pieces) if label
        )
        self.variants: dict[int, str] = {}

    def variant(self, keep: int) -> str:
        text = "".join(
            head + (label if keep & (1 << i) else "") + (f"{{{key}}}" if key else "")
            for i, (head, label, key, _) in enumerate(self.pieces)
        )
        self.variants[keep] = text
        return text


@cache
def _compile(template: str) -> _Template | None:
    """None for a template with literal braces (formatted as it is)."""
    if "{{" in template or "}}" in template:
        return None
    return _Template(template)


def render(template: str, values: dict[str, str]) -> str:
    """``template.format_map(values)``, leaving out a label the filled-in name already says."""
    compiled = _compile(template)
    if compiled is None:
        return template.format_map(values)  # literal braces: plain formatting
    keep = 0
    for bit, key, label_words in compiled.labels:
        if label_words.isdisjoint(_words(values[key])):
            keep |= bit
    text = compiled.variants.get(keep)
    if text is None:
        text = compiled.variant(keep)
    return text.format_map(values)
