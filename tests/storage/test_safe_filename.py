"""File names made from children's IDs and names are single, safe path components."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genuscreen.storage import safe_filename


@pytest.mark.parametrize(
    "text, expected",
    [
        ("王小明", "王小明"),
        ("Ann Lee", "Ann_Lee"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "child"),
        ("a/b\\c", "a_b_c"),
        ("tab\tnew\nline\x00nul\x1b", "tab_new_line_nul"),
        ("Anna 😀🎉", "Anna"),
        ("😀", "child"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("José-María (2)", "José-María_(2)"),
        ("right\u202eleft", "right_left"),  # a format character that reverses how a name is shown
        ("  .hidden ", "hidden"),
        ("", "child"),
        (None, "child"),
    ],
)
def test_known_names(text, expected: str) -> None:
    assert safe_filename(text) == expected


def test_long_names_are_cut_at_a_character_boundary() -> None:
    name = safe_filename("王" * 100)
    assert len(name.encode("utf-8")) <= 80
    assert name == "王" * 26


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_one_creatable_file_in_the_folder(text: str) -> None:
    name = safe_filename(text)
    assert name and name not in (".", "..") and not name.startswith(".")
    assert "/" not in name and "\\" not in name and os.sep not in name
    assert all(ch.isprintable() for ch in name)
    assert len(name.encode("utf-8")) <= 80
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (name + ".pdf")
        assert path.parent == Path(folder)
        path.write_bytes(b"x")
        assert [p.name for p in Path(folder).iterdir()] == [name + ".pdf"]
