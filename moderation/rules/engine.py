"""A compiled rule set and its evaluation over many comments per call."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from moderation.records import PolicyClause
from moderation.rules.matchers import Lexicon
from moderation.rules.nodes import ModelLeaf, Node
from moderation.rules.normalize import Folded, fold_many, fold_with_offsets

# Suggested status per action, and the order in which equal-priority actions win.
ACTION_STATUS = {"approve": "approved", "flag": "flagged", "hold": "held", "reject": "rejected"}
ACTION_RANK = {"approve": 0, "flag": 1, "hold": 2, "reject": 3}
UNMODERATED = "unmoderated"  # no rule matched and no human decided


@dataclass(frozen=True, slots=True)
class CommentContext:
    text: str
    author: str | None = None
    parent_author: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)
    prior_rejections: int = 0
    human_status: str | None = None  # a moderator's decision: kept, never overridden


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str  # == original[start:end]


@dataclass(frozen=True, slots=True)
class Hit:
    rule_id: str
    category: str
    clause_id: str
    action: str
    severity: int
    priority: int
    evidence: tuple[Span, ...]
    scores: dict[str, float]
    reason: str


@dataclass(frozen=True, slots=True)
class Verdict:
    flagged: bool
    status: str
    categories: tuple[str, ...]
    hits: tuple[Hit, ...]
    # Rules that could not be decided because the scores lack a label they test.
    undecided: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    description: str
    category: str
    clause: str
    action: str
    severity: int
    priority: int
    enabled: bool
    condition: Node
    reason: str | None
    line: int | None = None

    # Derived from ``condition`` once at compile time (read for every hit).
    model_leaves: tuple[ModelLeaf, ...] = ()
    has_spans: bool = True


class Doc:
    """One comment's folded text with offsets, built only when evidence is needed."""

    def __init__(
        self,
        text: str,
        lexicon: Lexicon,
        folded: str | None = None,
        word_hits: list[tuple[str, str, int, int]] | None = None,
    ) -> None:
        self.folded: Folded = fold_with_offsets(text, folded)
        self._lexicon = lexicon
        self._word_hits = word_hits  # from the batch scan when its offsets are valid here

    def word_hits(self) -> list[tuple[str, str, int, int]]:
        if self._word_hits is None:
            self._word_hits = self._lexicon.find(self.folded.text)
        return self._word_hits


class Batch:
    """The comments of one ``evaluate`` call, folded together as one padded byte string."""

    def __init__(
        self, items: Sequence[CommentContext], lexicon: Lexicon, model_id: str | None
    ) -> None:
        self.items = items
        self.size = len(items)
        self.model_id = model_id
        self.lexicon = lexicon
        folded = fold_many([item.text for item in items])
        self.folded = folded.texts
        self.haystack = folded.haystack
        self.comment_at = folded.comment_at
        self._ends = folded.ends
        self._docs: dict[int, Doc] = {}
        self._word_hits: dict[str, set[int]] | None = None
        self._labels: dict[str, tuple[str, ...]] = {}
        self._positions: dict[int, list[tuple[str, str, int, int]]] = {}
        # Byte offset in the haystack where each comment's folded text starts.
        self._starts = [1, *(end + 1 for end in folded.ends[:-1])]

    def text_span(self, index: int) -> tuple[int, int]:
        """Byte range of comment ``index``'s folded text in the haystack (without padding)."""
        return self._starts[index], self._ends[index] - 2

    def labels_for(self, rule: CompiledRule) -> tuple[str, ...]:
        """The model labels ``rule`` tests under this batch's model (cached per rule)."""
        labels = self._labels.get(rule.id)
        if labels is None:
            applicable = (leaf for leaf in rule.model_leaves if leaf.applies_to(self.model_id))
            labels = self._labels[rule.id] = tuple(dict.fromkeys(leaf.label for leaf in applicable))
        return labels

    def doc(self, index: int) -> Doc:
        doc = self._docs.get(index)
        if doc is None:
            self.word_hits()
            doc = Doc(
                self.items[index].text,
                self.lexicon,
                self.folded[index],
                # ASCII folded text: the batch scan saw every word hit, even when there is none.
                self._positions.get(index, [] if self.folded[index].isascii() else None),
            )
            self._docs[index] = doc
        return doc

    def word_hits(self) -> dict[str, set[int]]:
        """list id -> comments holding one of its entries as a whole word."""
        if self._word_hits is None:
            hits: dict[str, set[int]] = {}
            positions: dict[int, list[tuple[str, str, int, int]]] = {}
            comment_at, folded, starts = self.comment_at, self.folded, self._starts
            for start, end, payload in self.lexicon.scan_batch(self.haystack):
                index = comment_at(start)
                for list_id, _entry in payload:
                    hits.setdefault(list_id, set()).add(index)
                if folded[index].isascii():  # byte offsets are character offsets: keep them
                    base = starts[index]
                    positions.setdefault(index, []).extend(
                        (list_id, entry, start - base, end - base) for list_id, entry in payload
                    )
            # Comments with a hit but no kept offsets compute their own in Doc.
            self._positions = {i: sorted(p) for i, p in positions.items()}
            self._word_hits = hits
        return self._word_hits


@dataclass(frozen=True)
class RuleSet:
    version: str
    content_hash: str
    clauses: tuple[PolicyClause, ...]
    categories: Mapping[str, str]
    rules: tuple[CompiledRule, ...]
    lexicon: Lexicon
    sources: tuple[str, ...] = ()  # where the word lists came from (file, source, license)

    @property
    def labels_used(self) -> frozenset[str]:
        return frozenset(
            label for rule in self.rules if rule.enabled for label in rule.condition.labels()
        )

    def unavailable_rules(
        self, labels: Sequence[str] | set[str], model_id: str | None = None
    ) -> list[tuple[str, tuple[str, ...]]]:
        """(rule id, missing labels) for enabled rules testing a label the scorer lacks."""
        have = set(labels)
        out = []
        for rule in self.rules:
            if not rule.enabled:
                continue
            missing = sorted(
                {
                    leaf.label
                    for leaf in rule.model_leaves
                    if leaf.applies_to(model_id) and leaf.label not in have
                }
            )
            if missing:
                out.append((rule.id, tuple(missing)))
        return out

    def evaluate(
        self, items: Sequence[CommentContext], *, model_id: str | None = None
    ) -> list[Verdict]:
        """One verdict per item; ``model_id`` selects model thresholds meant for that scorer."""
        if not items:
            return []
        batch = Batch(items, self.lexicon, model_id)
        fired: dict[int, list[CompiledRule]] = {}
        undecided: dict[int, list[str]] = {}
        for rule in self.rules:
            if not rule.enabled:
                continue
            true, unknown = rule.condition.truth(batch, None)
            for i in true:
                fired.setdefault(i, []).append(rule)
            for i in unknown:
                undecided.setdefault(i, []).append(rule.id)
        verdicts = []
        for i, item in enumerate(items):
            rules = fired.get(i)
            hits = (
                tuple(self._hit(rule, batch, i) for rule in self._ordered(rules)) if rules else ()
            )
            verdicts.append(_verdict(item, hits, tuple(undecided.get(i, ()))))
        return verdicts

    @staticmethod
    def _ordered(rules: list[CompiledRule]) -> list[CompiledRule]:
        return sorted(rules, key=lambda r: (-r.priority, -ACTION_RANK[r.action], -r.severity, r.id))

    def _hit(self, rule: CompiledRule, batch: Batch, index: int) -> Hit:
        item = batch.items[index]
        original = item.text
        evidence: tuple[Span, ...] = ()
        if rule.has_spans:  # model-only rules need no offsets: skip the costly Doc
            spans = _merge(rule.condition.spans(batch.doc(index), item))
            evidence = tuple(Span(s, e, original[s:e]) for s, e in spans)
        scores = {
            label: float(item.scores[label])
            for label in batch.labels_for(rule)
            if label in item.scores
        }
        return Hit(
            rule_id=rule.id,
            category=rule.category,
            clause_id=rule.clause,
            action=rule.action,
            severity=rule.severity,
            priority=rule.priority,
            evidence=evidence,
            scores=scores,
            reason=_reason(rule, evidence, scores),
        )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined (two conditions often quote the same words)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_CLEAN = Verdict(False, UNMODERATED, (), (), ())


def _verdict(item: CommentContext, hits: tuple[Hit, ...], undecided: tuple[str, ...]) -> Verdict:
    if not hits and not undecided and not item.human_status:
        return _CLEAN  # immutable, so one instance serves every clean comment
    flagged = any(hit.action != "approve" for hit in hits)
    if item.human_status:
        status = item.human_status
    elif hits:
        status = ACTION_STATUS[hits[0].action]
    else:
        status = UNMODERATED
    categories = tuple(dict.fromkeys(hit.category for hit in hits if hit.action != "approve"))
    return Verdict(flagged, status, categories, hits, undecided)


_WS = re.compile(r"\s+")


def _reason(rule: CompiledRule, evidence: tuple[Span, ...], scores: dict[str, float]) -> str:
    """AutoModerator-style reason quoting what matched (``{match}`` in a custom template)."""
    quoted = ", ".join(f'"{_WS.sub(" ", span.text)}"' for span in evidence[:5])
    if not quoted and scores:
        quoted = ", ".join(f"{label}={value:.2f}" for label, value in sorted(scores.items()))
    if rule.reason:
        return rule.reason.replace("{match}", quoted)
    return f"{rule.description}: {quoted}" if quoted else rule.description
