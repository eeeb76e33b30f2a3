"""Issue 11 point 13: bidi controls and invisible characters in names and titles are shown
escaped, so "\u202enimda" cannot pass for "admin"; in comment bodies the controls that reorder
the display are shown too."""

from __future__ import annotations

import pytest

from moderation.ui.text import literal_markdown, visible, visible_bidi

BIDI = [
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0007", "\u180e"]


@pytest.mark.parametrize("char", BIDI + INVISIBLE)
def test_names_show_every_control_escaped(char: str) -> None:
    shown = visible(f"ad{char}min")
    assert char not in shown
    assert shown == f"ad⟨U+{ord(char):04X}⟩min"


def test_the_spoof_reads_as_what_it_is() -> None:
    assert visible("\u202enimda") == "⟨U+202E⟩nimda"
    assert visible("Fred") == "Fred"
    assert visible("Ärzte für Ä") == "Ärzte für Ä"
    assert visible("") == ""


@pytest.mark.parametrize("char", BIDI)
def test_bodies_show_bidi_controls(char: str) -> None:
    assert visible_bidi(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"


def test_bodies_keep_joiners_and_line_breaks() -> None:
    family = "👨\u200d👩\u200d👧"  # emoji joined by ZERO WIDTH JOINER: not a spoof in a body
    persian = "می\u200cخواهم"  # ZERO WIDTH NON-JOINER is part of Persian spelling
    assert visible_bidi(f"{family}\n{persian}\ttab") == f"{family}\n{persian}\ttab"


def test_literal_markdown_reveals_bidi_controls() -> None:
    assert "\u202e" not in literal_markdown("evil \u202eexe.txt")
    assert "⟨U+202E⟩" in literal_markdown("evil \u202eexe.txt").replace("\\", "")
