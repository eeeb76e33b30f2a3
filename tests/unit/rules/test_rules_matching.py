"""Word lists: obfuscation-tolerant, whole-word, no Scunthorpe errors; evidence slices exactly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from moderation.rules import CommentContext, RuleSet

WORDS = """\
rules:
  - id: swear
    description: Swearing
    category: profanity
    clause: no-profanity
    action: flag
    match:
      any:
        - words: [fuck, shit, ass, penis, sex, cock, rape, hell, bitch]
        - phrases: [blow job, son of a bitch]
"""


@pytest.fixture(scope="module")
def rules(make_rules: Callable[..., RuleSet]) -> RuleSet:
    return make_rules(WORDS)


FLAGGED = [
    # (text, the evidence as it appears in the text)
    ("what the fuck", "fuck"),
    ("FUCK", "FUCK"),
    ("f u c k this", "f u c k"),
    ("f.u.c.k", "f.u.c.k"),
    ("fuuuuuck", "fuuuuuck"),
    ("ffuuucckk you", "ffuuucckk"),  # one run of 3+ marks the comment as stretched
    ("f*ck", "f*ck"),
    ("f**k off", "f**k"),
    ("sh1t", "sh1t"),
    ("$h!t", "$h!t"),
    ("Ѕhіt", "Ѕhіt"),  # Cyrillic
    ("s\u200bhit", "s\u200bhit"),
    ("ｓｈｉｔ", "ｓｈｉｔ"),
    ("he11 no", "he11"),
    ("kiss my a$$", "a$$"),
    ("asssss", "asssss"),
    ("a blow-job", "blow-job"),
    ("son of a bitch!", "son of a bitch"),
    ("b1tch", "b1tch"),
    ("shit!!!", "shit"),
]


@pytest.mark.parametrize(("text", "evidence"), FLAGGED)
def test_obfuscated_words_are_found(rules: RuleSet, text: str, evidence: str) -> None:
    (verdict,) = rules.evaluate([CommentContext(text)])
    assert verdict.flagged
    spans = [span for hit in verdict.hits for span in hit.evidence]
    assert evidence in [span.text for span in spans]
    for span in spans:
        assert text[span.start : span.end] == span.text


SCUNTHORPE = [
    "Penistone is a town in Yorkshire",
    "Middlesex county cricket",
    "a bunch of grapes, the grape harvest",
    "my therapist said so",
    "Matt Hancock resigned",
    "Scunthorpe United",
    "the class assessed the bass and the brass",
    "as is, as was",
    "hello shell shellfish",
    "Essex and Sussex",
    "cocktail and peacock",
    "the assistant passed the assignment",
    "scrap the scraps",
    "Dickens wrote it",
    "the shitake mushrooms",  # misspelt shiitake: a longer word, not shit
    "f*** is too masked to tell",
    "In 1993 there were 455 of them",
    "fuuck",  # a double letter alone is a spelling, not a stretch (stretching starts at 3)
]


@pytest.mark.parametrize("text", SCUNTHORPE)
def test_words_inside_other_words_stay_clean(rules: RuleSet, text: str) -> None:
    (verdict,) = rules.evaluate([CommentContext(text)])
    assert not verdict.flagged, verdict.hits


def test_many_comments_in_one_call(rules: RuleSet) -> None:
    texts = [text for text, _ in FLAGGED] + SCUNTHORPE
    verdicts = rules.evaluate([CommentContext(t) for t in texts])
    assert [v.flagged for v in verdicts] == [True] * len(FLAGGED) + [False] * len(SCUNTHORPE)


def test_list_from_file_next_to_rules(tmp_path: Path, make_rules: Callable[..., RuleSet]) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "bad.txt").write_text("# a comment\nfrobnicate\n\nwidget\n")
    rules = make_rules(
        """\
        rules:
          - id: bad-words
            description: Bad
            category: other
            clause: no-profanity
            action: hold
            match:
              words: {file: lists/bad.txt, exclude: [widget]}
            examples:
              should_flag: [Do not frobnicate]
              should_pass: [a widget]
        """,
        base_dir=tmp_path,
    )
    verdicts = rules.evaluate([CommentContext("FROBNICATE now"), CommentContext("widget")])
    assert [v.status for v in verdicts] == ["held", "unmoderated"]
