"""The shipped rules.yaml: valid, enforces the seed's policy, and leaves news talk alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.parsing import parse_file
from moderation.rules import CommentContext, RuleSet
from moderation.scoring import FALLBACK_LABELS, UNBIASED_LABELS
from moderation.scoring.offline import offline_model_id

ROOT = Path(__file__).resolve().parents[3]
DETOXIFY = "detoxify-unbiased+onnx-int8"
OFFLINE = offline_model_id()

FLAGGED = [
    # (text, rule id)
    ("This is bullshit", "profanity"),
    ("What the f*ck", "profanity"),
    ("You are an idiot", "personal-attack"),
    ("@Avery you moron", "personal-attack"),
    ("YELLOW STAIN turkey will not start", "dehumanising-group"),
    ("Armenians are vermin", "dehumanising-group"),
    ("go back home you wetback", "slur"),
    ("I will find you and kill you", "threat"),
    ("I hope you die", "threat"),
    ("The Russions would get a good reason to clean Turkey once for all!", "threat"),
    ("these people on our other side are simply very primitive", "dehumanising-people"),
    ("As long as we live next to barbarians we need to prepare", "dehumanising-people"),
    ('There is no such nation "Azeri".', "nation-denial"),
    ("Turks are liars", "collective-blame"),
    ("took the bombs to his grave - I hope with Erdogan will happen the same", "threat"),
    ("I hope Aliyev dies", "threat"),
    ("both kakare pantalone", "profanity-armenian"),
    ("siktir git", "profanity-turkish"),
    ("orospu çocuğu", "profanity-turkish"),
]

PASSED = [
    "Turkey could provide military assistance to Azerbaijan in case of a new war.",
    "The Genocide of Armenians was real; Genocide II must never happen.",
    "Turks took care of the Azeri wounded. The war could kill thousands.",
    "I am a Turk and I am sorry for the historical facts.",
    "Hitler asked who remembers the Armenians.",
    "Penistone, Middlesex, a grape, my therapist and Matt Hancock.",
    "Talk is cheap!",
    "The Young Turks planned to exterminate the Armenians in 1915.",
    "Ozal was going to bomb Armenia in the 90s; Russia warned him off.",
    "There is no such entity Azerbaijan on ancient maps.",
    "The US, Russia and the EU should send military aid to Armenia.",
    "Azeris were mowed down by the hundreds in 1993.",
    "The weapons of that war were primitive.",
    "Rome fell to the barbarians.",
    "Turkey is responsible for the genocide and must recognise it.",
]


@pytest.mark.parametrize(("text", "rule_id"), FLAGGED)
def test_flags(default_rules: RuleSet, text: str, rule_id: str) -> None:
    (verdict,) = default_rules.evaluate([CommentContext(text)])
    assert verdict.flagged
    assert rule_id in [hit.rule_id for hit in verdict.hits]


@pytest.mark.parametrize("text", PASSED)
def test_passes(default_rules: RuleSet, text: str) -> None:
    (verdict,) = default_rules.evaluate([CommentContext(text)])
    assert not verdict.flagged, verdict.hits


def test_metadata(default_rules: RuleSet) -> None:
    assert [c.id for c in default_rules.clauses] == [
        "no-profanity",
        "no-personal-attacks",
        "no-inappropriate-material",
        "may-block-violators",
    ]
    assert {"profanity", "personal_attack", "identity_attack", "threat", "other"} <= set(
        default_rules.categories
    )
    detoxify = set(UNBIASED_LABELS)
    assert default_rules.labels_used == detoxify
    assert default_rules.unavailable_rules(sorted(detoxify), DETOXIFY) == []
    # Every rule on a model label works offline: the bundled model has all the labels they use.
    assert default_rules.unavailable_rules(list(FALLBACK_LABELS), OFFLINE) == []
    assert len(default_rules.content_hash) == 64


def test_model_thresholds_per_scorer(default_rules: RuleSet) -> None:
    item = CommentContext("fine words", scores={"toxicity": 0.9})
    (detox,) = default_rules.evaluate([item], model_id=DETOXIFY)
    (fallback,) = default_rules.evaluate([item], model_id=OFFLINE)
    assert [h.rule_id for h in detox.hits] == ["model-toxicity"]
    assert [h.rule_id for h in fallback.hits] == ["offline-toxicity"]


def test_seed_comments(default_rules: RuleSet) -> None:
    (article,) = parse_file(ROOT / "sample_data" / "000_6c11dab985d08017.txt")
    by_id = {c.id: c for c in article.comments}
    comments = article.reader_comments
    items = [
        CommentContext(
            c.text,
            author=c.author,
            parent_author=by_id[c.parent_id].author if c.parent_id else None,
        )
        for c in comments
    ]
    flagged = {
        c.author: [hit.rule_id for hit in v.hits]
        for c, v in zip(comments, default_rules.evaluate(items), strict=True)
        if v.flagged
    }
    assert flagged == {
        "Aram": ["dehumanising-group"],  # "the Turkish horde"
        "Vacheh": ["personal-attack"],  # "The above ignorant individual"
        "Alex Postallian": ["dehumanising-group"],  # "YELLOW STAIN turkey"
        "Mihran": ["threat"],  # "clean Turkey once for all"
        # "these people on our ether side are simply very primitive"
        "immortal Souls of western Armenia risen": ["dehumanising-people"],
        "zohrab": ["profanity-armenian"],  # "both kakare pantalone"
        "Lusik": ["nation-denial"],  # "There is no such nation "Azeri""
        "Fred": ["dehumanising-people"],  # "as long as we live next to barbarians"
        "facts": ["threat"],  # "I hope with Endogen will happen the same" (bombs, grave)
    }


def test_every_default_rule_has_examples_to_flag_and_to_pass() -> None:
    """Each policy rule shows what it catches and what it must leave alone (issue 14: ordinary
    news talk of war and history among the passes); the loader checks every example."""
    import yaml

    document = yaml.safe_load((Path(__file__).resolve().parents[3] / "rules.yaml").read_text())
    missing = [
        rule["id"]
        for rule in document["rules"]
        if not (rule.get("examples") or {}).get("should_flag")
        or not (rule.get("examples") or {}).get("should_pass")
    ]
    assert missing == []
