"""A compiled rule set and its evaluation over many comments per call."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from moderation.collector import collector_paused
from moderation.records import RULE_SUGGESTION, PolicyClause, Suggestion
from moderation.rules.batch_fold import fold_many
from moderation.rules.matchers import Lexicon
from moderation.rules.nodes import ModelLeaf, Node
from moderation.rules.normalize import Folded, fold_with_offsets

# The order in which equal-priority actions win (the suggestion each makes: records.py).
ACTION_RANK = {"approve": 0, "flag": 1, "hold": 2, "reject": 3}


_NO_SCORES: Mapping[str, float] = MappingProxyType({})


class CommentContext(NamedTuple):
    """One comment as the rules see it. A NamedTuple, not a frozen dataclass: previews and
    re-flags build 100,000 of these per call, and tuple creation is several times cheaper."""

    text: str
    author: str | None = None
    parent_author: str | None = None
    scores: Mapping[str, float] = _NO_SCORES
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
        word_spans: dict[str, list[tuple[int, int]]] | None = None,
    ) -> None:
        self.folded: Folded = fold_with_offsets(text, folded)
        self._lexicon = lexicon
        self._word_hits = word_hits  # from the batch scan when its offsets are valid here
        # list id -> folded spans of its hits, from the batch scan (``word_hits`` otherwise).
        self._word_spans = word_spans

    def word_hits(self) -> list[tuple[str, str, int, int]]:
        if self._word_hits is None:
            self._word_hits = self._lexicon.find(self.folded.text)
        return self._word_hits

    def word_spans(self, list_id: str) -> list[tuple[int, int]]:
        """Original-text spans of the hits of one word list."""
        if self._word_spans is None:
            grouped: dict[str, list[tuple[int, int]]] = {}
            for hit_list, _entry, start, end in self.word_hits():
                grouped.setdefault(hit_list, []).append((start, end))
            self._word_spans = grouped
        return self.folded.original_spans(self._word_spans.get(list_id, ()))


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
        self.folded = folded  # comment i's folded text, decoded on first use
        self.haystack = folded.haystack
        self.comment_at = folded.comment_at
        self.text_span = folded.text_span
        self._ends = folded.ends
        self._starts = folded.starts
        self._docs: dict[int, Doc] = {}
        self._word_hits: dict[str, set[int]] | None = None
        self._labels: dict[str, tuple[str, ...]] = {}
        # Comment -> its (byte start, byte end, entries) word hits in the haystack.
        self._found: dict[int, list[tuple[int, int, tuple[tuple[str, str], ...]]]] = {}
        self._lists_of: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}  # entries -> lists

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
            text = self.items[index].text
            spans = self._word_spans(index)
            doc = self._docs[index] = Doc(text, self.lexicon, self.folded[index], None, spans)
        return doc

    def _word_spans(self, index: int) -> dict[str, list[tuple[int, int]]]:
        """list id -> spans in comment ``index``'s folded text, from the batch scan."""
        self.word_hits()
        found = self._found.get(index)
        if found is None:
            return {}
        base = self._starts[index]
        if self.folded[index].isascii():  # byte offsets are character offsets
            spans = [(start - base, end - base) for start, end, _payload in found]
        else:  # hits start and end at whole characters (spaces around words, whole tokens)
            data = self.haystack
            spans = [
                (
                    len(data[base:start].decode("utf-8", "surrogatepass")),
                    len(data[base:end].decode("utf-8", "surrogatepass")),
                )
                for start, end, _payload in found
            ]
        grouped: dict[str, list[tuple[int, int]]] = {}
        lists_of = self._lists_of
        for span, (_start, _end, payload) in zip(spans, found, strict=True):
            lists = lists_of.get(payload)
            if lists is None:
                lists = lists_of[payload] = tuple(dict.fromkeys(list_id for list_id, _ in payload))
            for list_id in lists:
                grouped.setdefault(list_id, []).append(span)
        return grouped

    def word_hits(self) -> dict[str, set[int]]:
        """list id -> comments holding one of its entries as a whole word."""
        if self._word_hits is None:
            found: dict[int, list[tuple[int, int, tuple[tuple[str, str], ...]]]] = {}
            ends, last = self._ends, self.size - 1
            for hit in self.lexicon.scan_batch(self.haystack):
                index = bisect_right(ends, hit[0])
                found.setdefault(index if index < last else last, []).append(hit)
            # Group by hit entries first: a few hundred distinct ones, each added once per list.
            comments: dict[tuple[tuple[str, str], ...], set[int]] = {}
            for index, matches in found.items():
                for _start, _end, payload in matches:
                    comments.setdefault(payload, set()).add(index)
            hits: dict[str, set[int]] = {}
            for payload, indices in comments.items():
                for list_id in {list_id for list_id, _entry in payload}:
                    hits.setdefault(list_id, set()).update(indices)
            self._found = found
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
        self,
        items: Sequence[CommentContext],
        *,
        model_id: str | None = None,
        evidence: bool = True,
    ) -> list[Verdict]:
        """One verdict per item; ``model_id`` selects model thresholds meant for that scorer.
        ``evidence=False`` leaves hits without spans: what an impact preview needs (which
        rules fire), at a fraction of the cost."""
        if not items:
            return []
        with collector_paused():
            return self._evaluate(items, model_id, evidence)

    def _evaluate(
        self, items: Sequence[CommentContext], model_id: str | None, evidence: bool
    ) -> list[Verdict]:
        batch = Batch(items, self.lexicon, model_id)
        true_for: list[tuple[CompiledRule, set[int]]] = []
        undecided: dict[int, list[str]] = {}
        for rule in self.rules:
            if not rule.enabled:
                continue
            true, unknown = rule.condition.truth(batch, None)
            true_for.append((rule, true))
            for i in unknown:
                undecided.setdefault(i, []).append(rule.id)
        # Rules fire in the order their hits are listed in, so no comment sorts its own.
        fired: dict[int, list[CompiledRule]] = {}
        for rule, true in sorted(true_for, key=lambda pair: _precedence(pair[0])):
            for i in true:
                fired.setdefault(i, []).append(rule)
        verdicts = [_CLEAN] * len(items)  # most comments: no hit, nothing undecided, no human
        human = (i for i, item in enumerate(items) if item.human_status)
        for i in sorted({*fired, *undecided, *human}):
            rules = fired.get(i)
            hits = tuple(self._hit(rule, batch, i, evidence) for rule in rules) if rules else ()
            verdicts[i] = _verdict(items[i], hits, tuple(undecided.get(i, ())))
        return verdicts

    def _hit(self, rule: CompiledRule, batch: Batch, index: int, with_evidence: bool) -> Hit:
        item = batch.items[index]
        original = item.text
        evidence: tuple[Span, ...] = ()
        if with_evidence and rule.has_spans:  # model-only rules have no offsets: no Doc
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


def _precedence(rule: CompiledRule) -> tuple[int, int, int, str]:
    """Sort key of the hits of one comment: the first one decides its status."""
    return -rule.priority, -ACTION_RANK[rule.action], -rule.severity, rule.id


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined (two conditions often quote the same words)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_CLEAN = Verdict(False, Suggestion.UNMODERATED, (), (), ())


def _verdict(item: CommentContext, hits: tuple[Hit, ...], undecided: tuple[str, ...]) -> Verdict:
    if not hits and not undecided and not item.human_status:
        return _CLEAN  # immutable, so one instance serves every clean comment
    flagged = any(hit.action != "approve" for hit in hits)
    if item.human_status:
        status = item.human_status
    elif hits:
        status = RULE_SUGGESTION[hits[0].action]
    else:
        status = Suggestion.UNMODERATED
    categories = tuple(dict.fromkeys(hit.category for hit in hits if hit.action != "approve"))
    return Verdict(flagged, status, categories, hits, undecided)


_WS = re.compile(r"\s+")


def _one_line(text: str) -> str:
    return text if text.isalnum() else _WS.sub(" ", text)  # most evidence is a single word


def _reason(rule: CompiledRule, evidence: tuple[Span, ...], scores: dict[str, float]) -> str:
    """AutoModerator-style reason quoting what matched (``{match}`` in a custom template)."""
    quoted = ", ".join(f'"{_one_line(span.text)}"' for span in evidence[:5])
    if not quoted and scores:
        quoted = ", ".join(f"{label}={value:.2f}" for label, value in sorted(scores.items()))
    if rule.reason:
        return rule.reason.replace("{match}", quoted)
    return f"{rule.description}: {quoted}" if quoted else rule.description
