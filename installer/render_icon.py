"""Render the application icon (resources/icons/genuscreen.svg) to a PNG for the installers.

Windows and macOS executables need a raster icon; PyInstaller turns this PNG into the .ico or
.icns they use (with Pillow). Linux desktops read the SVG itself.

    python installer/render_icon.py OUT.png [SIZE]
"""

import os
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "genuscreen.svg"


def render(out: Path, size: int = 256) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QPainter needs one)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")
    return out


if __name__ == "__main__":
    render(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 256)
