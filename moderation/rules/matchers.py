"""Matchers over folded text: one Aho-Corasick automaton for every word list, RE2 for regexes.

Whole-word matching is done by the keys themselves: every key is `` entry `` with a space on
both sides and the haystack is padded the same way, so ``penistone`` never contains ``penis``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick_rs
import re2

from moderation.rules.batch_fold import byte_spans
from moderation.rules.normalize import Folded, fold, word_skeleton

_SPACES = re.compile(r" +")


def entry_variants(entry: str) -> set[str]:
    """Folded forms of a list entry: itself and its l->i twin (``1`` and ``|`` fold to ``i``)."""
    folded = _SPACES.sub(" ", fold(entry)).strip()
    if not folded or "*" in folded:
        return set()
    return {folded, folded.replace("l", "i")}


# A token (space-delimited) with a letter run of 3+ or a mask: matched one token at a time.
_ODD_MARK = re.compile(r"([a-z])\1\1|\*")
_ODD_TOKEN_BYTES = re2.compile(
    (
        "[^ \n]*(?:" + "|".join(c * 3 for c in "abcdefghijklmnopqrstuvwxyz") + "|\\*)[^ \n]*"
    ).encode(),
    re2.Options(),
)


@dataclass
class Lexicon:
    """Every word list of a rule set, searched in one pass.

    Exact (folded) entries go into one Aho-Corasick automaton. Stretched tokens ("fuuuck": a
    letter 3+ times) and masked tokens ("f*ck") are rare, so they are looked up one token at a
    time: stretched ones by their skeleton (each run at least as long as the entry's), masked
    ones against the entries of the same length. Phrases are matched exactly.
    """

    lists: dict[str, frozenset[str]] = field(default_factory=dict)  # list id -> entries

    def __post_init__(self) -> None:
        keys: dict[str, set[tuple[str, str]]] = defaultdict(set)
        skeletons: dict[str, set[tuple[str, str, tuple[int, ...]]]] = defaultdict(set)
        by_length: dict[int, set[tuple[str, str, str]]] = defaultdict(set)  # variant, list, entry
        for list_id, entries in self.lists.items():
            for entry in entries:
                for variant in entry_variants(entry):
                    keys[variant].add((list_id, entry))
                    if " " not in variant:
                        sk, runs = word_skeleton(variant)
                        skeletons[sk].add((list_id, entry, runs))
                        by_length[len(variant)].add((variant, list_id, entry))
        self._keys = list(keys)
        self._payload = [tuple(sorted(keys[k])) for k in self._keys]
        self._skeletons = {k: tuple(sorted(v)) for k, v in skeletons.items()}
        self._by_length = {k: tuple(sorted(v)) for k, v in by_length.items()}
        kind = ahocorasick_rs.MatchKind.Standard
        padded = [f" {k} " for k in self._keys]
        self._bytes_ac = (
            ahocorasick_rs.BytesAhoCorasick(
                [k.encode() for k in padded],
                matchkind=kind,
                # A DFA scans the batch about a third faster; built in milliseconds.
                implementation=ahocorasick_rs.Implementation.DFA,
            )
            if padded
            else None
        )
        self._ac = ahocorasick_rs.AhoCorasick(padded, matchkind=kind) if padded else None

    def token_hits(self, token: str) -> list[tuple[str, str]]:
        """(list id, entry) for one stretched or masked token."""
        if "*" in token:
            letters = len(token) - token.count("*")
            # Enough letters left to be sure which word it is: f**k yes, f*** no.
            if letters < 2 or letters < token.count("*"):
                return []
            return [
                (list_id, entry)
                for variant, list_id, entry in self._by_length.get(len(token), ())
                if all(t == "*" or t == v for t, v in zip(token, variant, strict=True))
            ]
        sk, runs = word_skeleton(token)
        return [
            (list_id, entry)
            for list_id, entry, wanted in self._skeletons.get(sk, ())
            if all(t >= w for t, w in zip(runs, wanted, strict=True))
        ]

    def scan_batch(self, haystack: bytes) -> list[tuple[int, int, tuple[tuple[str, str], ...]]]:
        """(byte start, byte end, hits) for every whole-word hit in a padded batch haystack."""
        if self._bytes_ac is None:
            return []
        payload = self._payload
        found = [
            (start + 1, end - 1, payload[index])
            for index, start, end in self._bytes_ac.find_matches_as_indexes(
                haystack, overlapping=True
            )
        ]
        for start, end in byte_spans(_ODD_TOKEN_BYTES, haystack):
            hits = self.token_hits(haystack[start:end].decode("utf-8", "surrogatepass"))
            if hits:
                found.append((start, end, tuple(hits)))
        return found

    def find(self, folded: str) -> list[tuple[str, str, int, int]]:
        """(list id, entry, start, end) in ``folded`` for one comment."""
        hits: list[tuple[str, str, int, int]] = []
        if self._ac is None:
            return hits
        for index, start, end in self._ac.find_matches_as_indexes(f" {folded} ", overlapping=True):
            hits.extend((list_id, entry, start, end - 2) for list_id, entry in self._payload[index])
        last_end = -1
        for match in _ODD_MARK.finditer(folded):  # find the mark, then widen to its token
            if match.start() < last_end:
                continue
            start = folded.rfind(" ", 0, match.start()) + 1
            end = folded.find(" ", match.end())
            end = len(folded) if end < 0 else end
            last_end = end
            hits.extend(
                (list_id, entry, start, end)
                for list_id, entry in self.token_hits(folded[start:end])
            )
        return hits


def compile_regex(patterns: list[str]) -> tuple[re2._Regexp, re2._Regexp]:
    """One combined RE2 pattern (str, for one comment) and its bytes twin (for a batch).

    Raises ``re2.error`` for a pattern RE2 cannot run (backreferences, lookarounds).
    """
    options = re2_options()
    for pattern in patterns:
        re2.compile(pattern, options)  # name the offending pattern, not the combination
    combined = "|".join(f"(?:{p})" for p in patterns)
    return re2.compile(combined, options), re2.compile(combined.encode(), options)


def re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # errors are reported as rule problems, not on stderr
    return options


# Second person and references to another commenter, on folded text (apostrophes are spaces).
DIRECTED = re.compile(
    r"\b(?:you|your|yours|youre|yourself|yourselves|u|ur|ya|thou|thee|thy|y all|you re|you ve"
    r"|you ll|you d)\b"
    r"|\bthe (?:above|previous|last|first) (?:\w+ ){0,2}(?:commenter|commentator|poster|person"
    r"|individual|guy|writer|author|one)s?\b"
    r"|\b(?:commenter|commentator|poster|person|individual|guy|writer)s? (?:above|before me)\b"
)
MENTION = re.compile(r"(?<![\w@])@\w+")


def directed_spans(doc: Folded, parent_author: str | None) -> list[tuple[int, int]]:
    """Original-text spans that show ``doc`` is aimed at a person."""
    spans = doc.original_spans(m.span() for m in DIRECTED.finditer(doc.text))
    spans.extend(m.span() for m in MENTION.finditer(doc.original))
    name = fold(parent_author).strip() if parent_author else ""
    if len(name) >= 3:
        for m in re.finditer(rf"(?<![^ ]){re.escape(name)}(?![^ ])", doc.text):
            spans.append(doc.original_span(*m.span()))
    return spans
