"""Vector drawings for the report: the knee angle against the age band, the per-frame curves,
and the attention colour legend (reportlab graphics)."""

from __future__ import annotations

import math

import cv2
import numpy as np
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from genuscreen import clinical
from genuscreen.report.fonts import ReportFonts, font_for

BAND_GREEN = colors.Color(0.78, 0.90, 0.79)
VALGUM_RED = colors.Color(0.97, 0.82, 0.80)
INK = colors.Color(0.13, 0.13, 0.13)
GREY = colors.Color(0.45, 0.45, 0.45)
SCORE_BLUE = colors.Color(0.12, 0.38, 0.70)
ANGLE_ORANGE = colors.Color(0.80, 0.36, 0.05)


def _nice_range(values: list[float], low: float, high: float, step: float = 5.0) -> tuple[float, float]:
    lo = min([low, *values])
    hi = max([high, *values])
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def _label(drawing: Drawing, x: float, y: float, text: str, fonts: ReportFonts, size: float = 7, anchor: str = "middle",
           colour=INK, bold: bool = False) -> None:  # fmt: skip
    drawing.add(String(x, y, text, fontName=font_for(text, fonts, bold), fontSize=size, fillColor=colour,
                       textAnchor=anchor))  # fmt: skip


def angle_band_drawing(width: float, angle: float | None, interval: tuple[float, float] | None,
                       band: tuple[float, float, float] | None, words: dict[str, str], fonts: ReportFonts) -> Drawing:  # fmt: skip
    """A horizontal degree scale with the normal band for the age (green), the genu valgum range
    (>= 15 deg, red), the mean for the age (dashed) and the estimate with its 90 % interval."""
    height = 70.0
    d = Drawing(width, height)
    lower, mean, upper = band if band is not None else (clinical.NORM_LOWER_DEG, None, clinical.TFA_NORMAL_MAX)
    values = [v for v in (angle, *(interval or ())) if v is not None]
    lo, hi = _nice_range(values, -10.0, 30.0)
    x0, x1 = 8.0, width - 8.0
    axis_y, bar_y, bar_h = 20.0, 22.0, 15.0
    mean_green = colors.Color(0.18, 0.49, 0.20)

    def x(v: float) -> float:
        return x0 + (min(max(v, lo), hi) - lo) / (hi - lo) * (x1 - x0)

    d.add(Rect(x(clinical.TFA_VALGUM_MIN), bar_y, x(hi) - x(clinical.TFA_VALGUM_MIN), bar_h, fillColor=VALGUM_RED,
               strokeColor=None))  # fmt: skip
    d.add(Rect(x(lower), bar_y, x(upper) - x(lower), bar_h, fillColor=BAND_GREEN, strokeColor=None))
    d.add(Line(x0, axis_y, x1, axis_y, strokeColor=GREY, strokeWidth=0.6))
    tick = lo
    while tick <= hi + 1e-6:
        d.add(Line(x(tick), axis_y, x(tick), axis_y - 3, strokeColor=GREY, strokeWidth=0.6))
        _label(d, x(tick), axis_y - 10, f"{tick:.0f}°", fonts, 6.5, colour=GREY)
        tick += 5.0
    _label(d, x0, 1, words["chart_axis"], fonts, 6.5, anchor="start", colour=GREY)
    # Zone names above the bar, so the estimate inside it never hides them.
    _label(d, (x(lower) + x(upper)) / 2, bar_y + bar_h + 3, f"{words['chart_band']} {lower:.0f}–{upper:.0f}°", fonts, 6.5,
           colour=colors.Color(0.1, 0.35, 0.12))  # fmt: skip
    _label(d, (x(clinical.TFA_VALGUM_MIN) + x(hi)) / 2, bar_y + bar_h + 3, words["chart_valgum"], fonts, 6.5,
           colour=colors.Color(0.6, 0.12, 0.1))  # fmt: skip
    if mean is not None:
        d.add(Line(x(mean), bar_y, x(mean), bar_y + bar_h, strokeColor=mean_green, strokeWidth=1.2, strokeDashArray=[2, 1.5]))
    centre_y = bar_y + bar_h / 2
    if angle is not None:
        a, b = (x(interval[0]), x(interval[1])) if interval is not None else (x(angle), x(angle))
        if interval is not None:
            d.add(Line(a, centre_y, b, centre_y, strokeColor=INK, strokeWidth=1.4))
            for end in (a, b):
                d.add(Line(end, centre_y - 4, end, centre_y + 4, strokeColor=INK, strokeWidth=1.4))
        _diamond(d, x(angle), centre_y, 4.5)
        text = f"{angle:.1f}°"
        if b + 40 < x1:
            _label(d, b + 4, centre_y - 2.5, text, fonts, 7.5, anchor="start", bold=True)
        else:
            _label(d, a - 4, centre_y - 2.5, text, fonts, 7.5, anchor="end", bold=True)
    # Legend, top right: what the marks mean.
    legend_y = height - 8
    right = x1
    text = words["chart_mean"]
    if mean is not None:
        _label(d, right, legend_y, text, fonts, 6.5, anchor="end", colour=GREY)
        right -= stringWidth(text, font_for(text, fonts), 6.5) + 4
        d.add(Line(right - 12, legend_y + 2.3, right, legend_y + 2.3, strokeColor=mean_green, strokeWidth=1.2,
                   strokeDashArray=[2, 1.5]))  # fmt: skip
        right -= 22
    text = words["chart_estimate"]
    _label(d, right, legend_y, text, fonts, 6.5, anchor="end", colour=GREY)
    right -= stringWidth(text, font_for(text, fonts), 6.5) + 8
    _diamond(d, right, legend_y + 2.3, 3.0)
    return d


def _diamond(d: Drawing, cx: float, cy: float, r: float) -> None:
    d.add(Polygon([cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], fillColor=INK, strokeColor=colors.white,
                  strokeWidth=0.6))  # fmt: skip


def curves_drawing(width: float, per_frame: list[dict], threshold: float, band: tuple[float, float, float] | None,
                   words: dict[str, str], fonts: ReportFonts) -> Drawing:  # fmt: skip
    """Two stacked line plots over the recording's time: the per-frame risk score (0-1, with the
    threshold) and the per-frame knee angle (with the age band)."""
    height = 210.0
    d = Drawing(width, height)
    points = sorted(per_frame, key=lambda p: p["time_s"])
    times = [float(p["time_s"]) for p in points] or [0.0, 1.0]
    t0, t1 = min(times), max(times)
    if t1 - t0 < 0.5:
        t1 = t0 + 0.5
    left, right = 46.0, width - 10.0
    plot_w = right - left

    def plot(y: float, h: float, series: list[tuple[float, float]], y_min: float, y_max: float, step: float,
             colour, title: str, x_labels: bool) -> LinePlot:  # fmt: skip
        lp = LinePlot()
        lp.x, lp.y, lp.width, lp.height = left, y, plot_w, h
        lp.data = [series or [(t0, y_min)]]
        lp.lines[0].strokeColor = colour
        lp.lines[0].strokeWidth = 1.3
        lp.xValueAxis.valueMin, lp.xValueAxis.valueMax = t0, t1
        lp.xValueAxis.valueStep = _time_step(t1 - t0)
        lp.xValueAxis.labels.fontName = fonts.regular
        lp.xValueAxis.labels.fontSize = 6.5
        lp.xValueAxis.labelTextFormat = "%g"
        lp.xValueAxis.visibleLabels = x_labels
        lp.xValueAxis.strokeColor = GREY
        lp.yValueAxis.valueMin, lp.yValueAxis.valueMax, lp.yValueAxis.valueStep = y_min, y_max, step
        lp.yValueAxis.labels.fontName = fonts.regular
        lp.yValueAxis.labels.fontSize = 6.5
        lp.yValueAxis.labelTextFormat = "%g"
        lp.yValueAxis.strokeColor = GREY
        lp.yValueAxis.visibleGrid = True
        lp.yValueAxis.gridStrokeColor = colors.Color(0.88, 0.88, 0.88)
        lp.yValueAxis.gridStrokeWidth = 0.4
        _label(d, left, y + h + 4, title, fonts, 7.5, anchor="start", bold=True)
        return lp

    def y_of(v: float, y: float, h: float, y_min: float, y_max: float) -> float:
        return y + (min(max(v, y_min), y_max) - y_min) / (y_max - y_min) * h

    # Risk score, top.
    score_y, score_h = 128.0, 64.0
    scores = [(float(p["time_s"]), float(p["score"])) for p in points]
    d.add(plot(score_y, score_h, scores, 0.0, 1.0, 0.25, SCORE_BLUE, words["curve_score"], False))
    ty = y_of(threshold, score_y, score_h, 0.0, 1.0)
    d.add(Line(left, ty, right, ty, strokeColor=colors.Color(0.6, 0.1, 0.1), strokeWidth=0.8, strokeDashArray=[3, 2]))

    # Knee angle, bottom, over the age band.
    angle_y, angle_h = 28.0, 76.0
    angles = [(float(p["time_s"]), float(p["angle_deg"])) for p in points]
    lower, _mean, upper = band if band is not None else (clinical.NORM_LOWER_DEG, None, clinical.TFA_NORMAL_MAX)
    a_min, a_max = _nice_range([a for _t, a in angles], lower - 5.0, max(upper, clinical.TFA_VALGUM_MIN) + 5.0)
    b0, b1 = y_of(lower, angle_y, angle_h, a_min, a_max), y_of(upper, angle_y, angle_h, a_min, a_max)
    d.add(Rect(left, b0, plot_w, b1 - b0, fillColor=BAND_GREEN, strokeColor=None))
    d.add(plot(angle_y, angle_h, angles, a_min, a_max, 5.0 if a_max - a_min <= 40 else 10.0, ANGLE_ORANGE,
               words["curve_angle"], True))  # fmt: skip
    _label(d, (left + right) / 2, 4, words["curve_time"], fonts, 7, colour=GREY)
    return d


def _time_step(span: float) -> float:
    for step in (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0):
        if span / step <= 10:
            return step
    return 120.0


def attention_legend_drawing(width: float, words: dict[str, str], fonts: ReportFonts,
                             colormap: int = cv2.COLORMAP_JET) -> Drawing:  # fmt: skip
    """A small horizontal colour bar of the overlay's colour map, weak to strong."""
    d = Drawing(width, 16)
    bar_x, bar_w, steps = 30.0, min(140.0, width - 120.0), 32
    ramp = cv2.applyColorMap(np.linspace(0, 255, steps).astype(np.uint8)[None, :], colormap)[0]  # [steps, 3] BGR
    for i, (b, g, r) in enumerate(ramp):
        d.add(Rect(bar_x + i * bar_w / steps, 4, bar_w / steps + 0.3, 8, strokeColor=None,
                   fillColor=colors.Color(r / 255, g / 255, b / 255)))  # fmt: skip
    _label(d, bar_x - 4, 5, words["legend_low"], fonts, 7, anchor="end", colour=GREY)
    _label(d, bar_x + bar_w + 4, 5, words["legend_high"], fonts, 7, anchor="start", colour=GREY)
    return d
