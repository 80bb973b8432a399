"""User preferences (data folder, default device, language, overlay colours, the screener's name,
how reports are printed, recent files), stored with QSettings, and the dialog that edits them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from genuscreen.gui.app import ENGLISH, LANGUAGES
from genuscreen.storage.paths import default_data_dir

DEVICES = ("auto", "cpu", "cuda")
# OpenCV colour maps offered for the attention overlay.
COLORMAPS = {"jet": cv2.COLORMAP_JET, "turbo": cv2.COLORMAP_TURBO, "inferno": cv2.COLORMAP_INFERNO,
             "viridis": cv2.COLORMAP_VIRIDIS, "hot": cv2.COLORMAP_HOT}  # fmt: skip
MAX_RECENT = 8
REPORT_PAGES = ("A4", "Letter")


def colormap_name(key: str) -> str:
    names = {
        "jet": QCoreApplication.translate("Preferences", "Jet (blue to red)"),
        "turbo": QCoreApplication.translate("Preferences", "Turbo (blue to red, even steps)"),
        "inferno": QCoreApplication.translate("Preferences", "Inferno (black to yellow)"),
        "viridis": QCoreApplication.translate("Preferences", "Viridis (blue to yellow, colour-blind safe)"),
        "hot": QCoreApplication.translate("Preferences", "Hot (black to white through red)"),
    }
    return names[key]


def device_name(key: str, cuda_card: str | None = None) -> str:
    if key == "cpu":
        return QCoreApplication.translate("Preferences", "CPU")
    if key == "cuda":
        card = cuda_card or QCoreApplication.translate("Preferences", "not available")
        return QCoreApplication.translate("Preferences", "CUDA GPU ({card})").format(card=card)
    return QCoreApplication.translate("Preferences", "Automatic (GPU when available)")


def default_data_folder() -> str:
    """The same folder the command line keeps its records in (storage.paths.default_data_dir:
    $GENUSCREEN_DATA_DIR when set, else the platform's private application-data folder), so the
    window and `genuscreen history` see the same screenings."""
    return str(default_data_dir())


def default_report_page() -> str:
    """Letter where the locale measures in US units (the US, Canada's English locales, ...), else A4."""
    return "Letter" if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "A4"


@dataclass
class Preferences:
    data_folder: str = field(default_factory=default_data_folder)
    device: str = "auto"
    language: str = ENGLISH
    colormap: str = "jet"
    overlay_opacity: float = 0.5
    show_walker: bool = True  # the review draws the person the screening followed
    recent_files: list[str] = field(default_factory=list)
    operator: str = ""  # the screener's name, kept with each screening and printed on reports
    report_page: str = field(default_factory=default_report_page)
    report_silhouettes_only: bool = False  # reports show silhouettes, not the child's picture

    def recordings_folder(self) -> Path:
        return Path(self.data_folder) / "recordings"

    def with_recent(self, path: str) -> "Preferences":
        recent = [path] + [p for p in self.recent_files if p != path]
        return replace(self, recent_files=recent[:MAX_RECENT])


def _as_list(value) -> list[str]:
    # An INI file gives back a single string for a one-item list, and None for an empty one.
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value]


def _as_bool(value, default: bool) -> bool:
    # An INI file gives booleans back as the strings "true" and "false".
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def load_preferences(store: QSettings) -> Preferences:
    default = Preferences()
    device = str(store.value("device", default.device))
    language = str(store.value("language", default.language))
    colormap = str(store.value("overlay/colormap", default.colormap))
    page = str(store.value("report/page", default.report_page))
    try:
        opacity = min(1.0, max(0.0, float(store.value("overlay/opacity", default.overlay_opacity))))
    except (TypeError, ValueError):
        opacity = default.overlay_opacity
    return Preferences(
        data_folder=str(store.value("data_folder", default.data_folder)) or default.data_folder,
        device=device if device in DEVICES else default.device,
        language=language if language in LANGUAGES else default.language,
        colormap=colormap if colormap in COLORMAPS else default.colormap,
        overlay_opacity=opacity,
        show_walker=_as_bool(store.value("overlay/walker"), default.show_walker),
        recent_files=_as_list(store.value("recent_files"))[:MAX_RECENT],
        operator=str(store.value("operator", default.operator) or ""),
        report_page=page if page in REPORT_PAGES else default.report_page,
        report_silhouettes_only=_as_bool(store.value("report/silhouettes_only"), default.report_silhouettes_only),
    )


def save_preferences(store: QSettings, preferences: Preferences) -> None:
    store.setValue("data_folder", preferences.data_folder)
    store.setValue("device", preferences.device)
    store.setValue("language", preferences.language)
    store.setValue("overlay/colormap", preferences.colormap)
    store.setValue("overlay/opacity", preferences.overlay_opacity)
    store.setValue("overlay/walker", preferences.show_walker)
    store.setValue("recent_files", list(preferences.recent_files))
    store.setValue("operator", preferences.operator)
    store.setValue("report/page", preferences.report_page)
    store.setValue("report/silhouettes_only", preferences.report_silhouettes_only)
    store.sync()


class SettingsDialog(QDialog):
    """Edits a copy of the preferences; ``preferences()`` gives the edited copy."""

    def __init__(self, preferences: Preferences, cuda_card: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._original = preferences
        self.setWindowTitle(self.tr("Settings"))
        self.folder = QLineEdit(preferences.data_folder)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.device = QComboBox()
        for key in DEVICES:
            self.device.addItem(device_name(key, cuda_card), key)
        if cuda_card is None:
            # Listed but not selectable, so users see that CUDA exists as an option.
            self.device.model().item(DEVICES.index("cuda")).setEnabled(False)
        self.device.setCurrentIndex(max(0, self.device.findData(preferences.device)))

        self.language = QComboBox()
        for key, name in LANGUAGES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))

        self.colormap = QComboBox()
        for key in COLORMAPS:
            self.colormap.addItem(colormap_name(key), key)
        self.colormap.setCurrentIndex(max(0, self.colormap.findData(preferences.colormap)))

        self.operator = QLineEdit(preferences.operator)
        self.operator.setPlaceholderText(self.tr("kept with each screening and printed on reports"))
        self.report_page = QComboBox()
        for key in REPORT_PAGES:
            self.report_page.addItem(key, key)
        self.report_page.setCurrentIndex(max(0, self.report_page.findData(preferences.report_page)))
        self.silhouettes_only = QCheckBox(self.tr("Silhouettes only (no picture of the child, for privacy)"))
        self.silhouettes_only.setChecked(preferences.report_silhouettes_only)

        form = QFormLayout()
        form.addRow(self.tr("Data folder (records, recordings and exports):"), folder_row)
        form.addRow(self.tr("Default device for the model:"), self.device)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Attention overlay colours:"), self.colormap)
        form.addRow(self.tr("Screener's name:"), self.operator)
        form.addRow(self.tr("Report page size:"), self.report_page)
        form.addRow(self.tr("Report pictures:"), self.silhouettes_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the data folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def preferences(self) -> Preferences:
        return replace(
            self._original,
            data_folder=self.folder.text().strip() or self._original.data_folder,
            device=self.device.currentData(),
            language=self.language.currentData(),
            colormap=self.colormap.currentData(),
            operator=self.operator.text().strip(),
            report_page=self.report_page.currentData(),
            report_silhouettes_only=self.silhouettes_only.isChecked(),
        )
