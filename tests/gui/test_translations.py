"""The Chinese translation covers every user-facing string of the GUI, keeps the placeholders,
markup and keyboard accelerators, and compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from genuscreen.assets import resources_dir

pytestmark = pytest.mark.gui

TS = resources_dir() / "i18n" / "genuscreen_zh_CN.ts"
GUI = Path(__file__).resolve().parents[2] / "app" / "genuscreen" / "gui"
BIN = Path(sys.executable).parent


def messages(path: Path) -> list[tuple[str, str | None, str | None]]:
    """(source, translation, type) of every message."""
    out = []
    for message in ET.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        out.append((message.find("source").text, translation.text, translation.get("type")))
    return out


def test_every_string_has_a_finished_chinese_translation() -> None:
    found = messages(TS)
    assert len(found) > 150
    for source, translation, kind in found:
        assert translation and kind is None, f"untranslated: {source!r}"
        assert re.search(r"[\u4e00-\u9fff]", translation) or source in ("CPU", "CUDA GPU ({card})"), source
        assert set(re.findall(r"\{[^}]*\}", source)) == set(re.findall(r"\{[^}]*\}", translation)), source
        assert re.findall(r"</?\w+>", source) == re.findall(r"</?\w+>", translation), source
        assert ("&" in source) == ("&" in translation), source


def test_the_translation_file_lists_every_string_in_the_code(tmp_path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(BIN)) or shutil.which("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sorted(map(str, GUI.glob("*.py"))), "-ts", str(copy)],
                   check=True, capture_output=True)  # fmt: skip
    new = [source for source, _translation, kind in messages(copy) if kind == "unfinished"]
    assert not new, f"strings missing from {TS.name} (run scripts/build_translations.sh --update and translate): {new}"


def test_the_compiled_translation_loads() -> None:
    from PySide6.QtCore import QTranslator

    from genuscreen.gui.app import translation_file

    path = translation_file("zh_CN")
    if not path.exists():
        pytest.skip(f"{path.name} is built at set-up (scripts/build_translations.sh)")
    translator = QTranslator()
    assert translator.load(str(path))
    assert translator.translate("Wording", "Refer") == "转诊"
    assert translator.translate("Wording", "Re-screen") == "复查"
    assert translator.translate("Wording", "No concern") == "无需担忧"
