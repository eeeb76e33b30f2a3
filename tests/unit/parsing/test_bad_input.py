"""Bad input gets a clean parse or a one-line error naming the file; never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.errors import InputTooLargeError, ParseError
from moderation.parsing import parse_file

THREAD = "Title\n\nBody text.\n\n  1. Zoë said:\n\n    Grüße aus Köln — café.\n"


def write(tmp_path: Path, data: bytes, name: str = "in.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "file is empty"),
        (b"   \n\n \t\n", "file is empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 100, "binary"),
        (b'<?xml version="1.0"?><svg></svg>', "unrecognised format; supported: WordPress WXR"),
        (b'<?xml version="1.0"?><svg></svg>', "scraped-text article"),
    ],
)
def test_unreadable_files_give_a_one_line_error_naming_the_file(
    tmp_path: Path, data: bytes, reason: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(ParseError) as info:
        parse_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert reason in message
    assert "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read file"):
        parse_file(tmp_path / "nope.txt")


def test_size_limit_is_enforced_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, THREAD.encode() * 50)
    with pytest.raises(InputTooLargeError, match="over the 1,000-byte limit"):
        parse_file(path, max_bytes=1000)
    assert parse_file(path, max_bytes=10_000)[0].title == "Title"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_non_utf8_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    # No em dash here: latin-1 cannot encode it.
    text = THREAD.replace("—", "-") + "".join(
        f"\n  {n}. Renée said:\n\n    Ça va très bien, merci, à bientôt.\n" for n in (2, 3, 4)
    )
    [article] = parse_file(write(tmp_path, text.encode(encoding)))
    assert [c.author for c in article.comments] == ["Zoë", "Renée", "Renée", "Renée"]
    assert article.comments[0].text == "Grüße aus Köln - café."
    assert article.comments[1].text == "Ça va très bien, merci, à bientôt."


def test_crlf_and_cr_line_ends(tmp_path: Path) -> None:
    [lf] = parse_file(write(tmp_path, THREAD.encode(), "lf.txt"))
    [crlf] = parse_file(write(tmp_path, THREAD.replace("\n", "\r\n").encode(), "crlf.txt"))
    [cr] = parse_file(write(tmp_path, THREAD.replace("\n", "\r").encode(), "cr.txt"))
    assert lf.to_json() | {"source": ""} == crlf.to_json() | {"source": ""}
    assert lf.to_json() | {"source": ""} == cr.to_json() | {"source": ""}


def test_tab_indentation_builds_the_same_tree(tmp_path: Path) -> None:
    text = (
        "T\n\n\t1. gary said:\n\n\t\tTop.\n\n\t\t• Avery said:\n\n\t\t\tReply.\n\n"
        "\t2. Zed said:\n\n\t\tNext.\n"
    )
    [article] = parse_file(write(tmp_path, text.encode()))
    assert [(c.author, c.depth, c.text) for c in article.comments] == [
        ("gary", 0, "Top."),
        ("Avery", 1, "Reply."),
        ("Zed", 0, "Next."),
    ]
