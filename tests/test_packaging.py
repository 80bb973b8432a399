"""House rules that keep the package honest: Qt only in gui/, every package listed, assets found."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from genuscreen import assets

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "app" / "genuscreen"
QT_MODULES = {"PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_gui_imports_qt() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if "gui" not in path.relative_to(PACKAGE).parts and imported_roots(path) & QT_MODULES
    ]
    assert offenders == []


def test_video_layer_does_not_import_torch() -> None:
    offenders = [str(p) for p in (PACKAGE / "video").rglob("*.py") if "torch" in imported_roots(p)]
    assert offenders == []


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "app").parts) for init in PACKAGE.rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"


def test_assets_resolve_in_the_source_tree() -> None:
    assert assets.resources_dir() == ROOT / "resources"
    assert assets.weights_dir() == ROOT / "weights"
    assert assets.sample_clip().stat().st_size < 2_000_000  # the repository stays small


def test_model_layer_knows_nothing_of_video() -> None:
    offenders = []
    for path in (PACKAGE / "model").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if imported_roots(path) & {"cv2"} or "genuscreen.video" in text:
            offenders.append(str(path))
    assert offenders == []
