"""The one-child PDF report. See the package docstring for what it contains."""

from __future__ import annotations

import io
import json
import os
from datetime import date, datetime
from pathlib import Path

import cv2
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from genuscreen import __version__, clinical
from genuscreen.files import atomic_output, safe_filename
from genuscreen.report import charts, strings
from genuscreen.report.fonts import ReportFonts, font_for, markup, report_fonts
from genuscreen.report.keyframes import min_gap_s, render_key_frames

PAGE_SIZES = {"a4": A4, "letter": LETTER}
PRODUCT = "GenuScreen"
MARGIN = 16 * mm
HEADER_GAP = 9 * mm

CATEGORY_COLOURS = {
    "genu_valgum_unlikely": colors.Color(0.18, 0.49, 0.20),
    "uncertain": colors.Color(0.75, 0.47, 0.0),
    "genu_valgum_likely": colors.Color(0.78, 0.16, 0.16),
    "not_screenable": colors.Color(0.38, 0.38, 0.38),
}
RULE_GREY = colors.Color(0.80, 0.80, 0.80)
LABEL_GREY = colors.Color(0.40, 0.40, 0.40)


def page_size(name: str) -> tuple[float, float]:
    """(width, height) in points of "A4" or "Letter" (any case)."""
    try:
        return PAGE_SIZES[str(name).strip().lower()]
    except KeyError:
        raise ValueError(f"page size must be A4 or Letter, got {name!r}") from None


class Styles:
    """Paragraph styles of one report, in its language's fonts."""

    def __init__(self, fonts: ReportFonts):
        self.fonts = fonts
        leading = 1.35 if fonts.all_cjk else 1.25  # CJK lines need a little more air
        # CJK text has no spaces: lines may break between any two characters.
        base = dict(fontName=fonts.regular, textColor=charts.INK, alignment=TA_LEFT,
                    wordWrap="CJK" if fonts.all_cjk else None)
        self.title = ParagraphStyle("title", **{**base, "fontName": fonts.bold}, fontSize=17, leading=22)
        self.subtitle = ParagraphStyle("subtitle", **{**base, "textColor": LABEL_GREY}, fontSize=9, leading=12)
        self.heading = ParagraphStyle("heading", **{**base, "fontName": fonts.bold}, fontSize=11.5,
                                      leading=15, spaceBefore=9, spaceAfter=4)  # fmt: skip
        self.body = ParagraphStyle("body", **base, fontSize=9, leading=9 * leading, spaceAfter=2.5)
        self.small = ParagraphStyle("small", **{**base, "textColor": LABEL_GREY}, fontSize=7.5, leading=7.5 * leading)
        self.label = ParagraphStyle("label", **{**base, "textColor": LABEL_GREY}, fontSize=8.5, leading=8.5 * leading)
        self.value = ParagraphStyle("value", **base, fontSize=9, leading=9 * leading)
        self.strong = ParagraphStyle("strong", **{**base, "fontName": fonts.bold}, fontSize=10.5, leading=10.5 * leading)

    def p(self, text: str | None, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup(text, self.fonts), style or self.body)


def _age_number(age: float) -> str:
    """8.64 -> '8.6', 8.0 -> '8'."""
    return f"{age:.1f}".rstrip("0").rstrip(".")


def _fmt_age(age: float | None, w: dict) -> str | None:
    return None if age is None else w["age_value"].format(age=_age_number(age))


def percentages(*values: float) -> list[str]:
    """Probabilities as percentages, with one decimal when whole percents would hide the
    spread of an interval (2%-2%)."""
    whole = [f"{v:.0%}" for v in values]
    if len(set(whole)) < len(set(round(v, 3) for v in values)):
        return [f"{v:.1%}" for v in values]
    return whole


def _model_card(model: dict, card: dict | None) -> dict | None:
    """The model card of the weights that made the result (from weights/ when not given)."""
    if card is not None:
        return card
    try:
        from genuscreen.assets import weights_dir

        for path in sorted(weights_dir().glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get("id") == model.get("id") and "training_data" in data:
                return data
    except FileNotFoundError:
        return None
    return None


def trained_on_synthetic_data(card: dict | None) -> bool:
    """True unless the card's training data names a source other than the synthetic generator."""
    if not card:
        return True
    sources = (card.get("training_data") or {}).get("source") or {}
    return not sources or set(sources) <= {"synthetic"}


def _details_table(rows: list[tuple[str, str | None]], styles: Styles, width: float, w: dict) -> Table:
    data = [[styles.p(label, styles.label), styles.p(value if value else w["not_given"], styles.value)]
            for label, value in rows]  # fmt: skip
    table = Table(data, colWidths=[0.36 * width, 0.64 * width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2)]))  # fmt: skip
    return table


def _section(title: str, styles: Styles, *flowables: Flowable) -> KeepTogether:
    return KeepTogether([styles.p(title, styles.heading), *flowables])


def _signature_block(styles: Styles, width: float, w: dict, operator: str | None) -> Table:
    line = "_" * 28
    c = w["colon"]
    data = [[styles.p(f"{w['screened_by']}{c}{operator or line}", styles.body),
             styles.p(f"{w['signature']}{c}{line}", styles.body),
             styles.p(f"{w['sign_date']}{c}{'_' * 16}", styles.body)]]  # fmt: skip
    table = Table(data, colWidths=[0.36 * width, 0.38 * width, 0.26 * width])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 14)]))
    return table


def _result_table(result, styles: Styles, width: float, w: dict, language: str) -> Table:
    colour = CATEGORY_COLOURS.get(result.category, charts.INK)
    category_style = ParagraphStyle("category", parent=styles.strong, textColor=colour)
    rows = [[styles.p(w["category"], styles.label), styles.p(strings.category_words(result.category, language), category_style)]]
    if result.recommendation:
        rows.append([styles.p(w["recommendation"], styles.label),
                     styles.p(strings.recommendation_words(result.recommendation, language), styles.strong)])  # fmt: skip
    if result.risk is not None and result.risk_interval is not None:
        lo, hi = result.risk_interval
        risk, low, high = percentages(result.risk, lo, hi)
        rows.append([styles.p(w["risk"], styles.label), styles.p(w["risk_value"].format(risk=risk, low=low, high=high))])
    if result.knee_angle_deg is not None and result.knee_angle_interval is not None:
        lo, hi = result.knee_angle_interval
        angle = w["knee_angle_value"].format(angle=f"{result.knee_angle_deg:.1f}", low=f"{lo:.1f}", high=f"{hi:.1f}")
        if result.norm_band_deg is not None and result.age_y is not None:
            lower, mean, upper = result.norm_band_deg
            band = w["band_line"].format(age=_age_number(result.age_y), lower=f"{lower:.0f}", upper=f"{upper:.0f}",
                                         mean=f"{mean:.1f}")  # fmt: skip
        else:
            band = w["band_line_adult"]
        rows.append([styles.p(w["knee_angle"], styles.label), [styles.p(angle), styles.p(band, styles.small)]])
    rows.append([styles.p(w["why"], styles.label), styles.p(strings.reason_words(result, language))])
    table = Table(rows, colWidths=[0.24 * width, 0.76 * width - 14])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("BOX", (0, 0), (-1, -1), 1.2, colour), ("LINEBEFORE", (0, 0), (0, -1), 4, colour),
        ("BACKGROUND", (0, 0), (-1, -1), colors.Color(0.985, 0.985, 0.985)),
    ]))  # fmt: skip
    return table


def _quality_flowables(result, styles: Styles, w: dict, language: str) -> list[Flowable]:
    quality = result.quality or {}
    video = result.video or {}
    out: list[Flowable] = []
    problems = quality.get("problems") or []
    if problems:
        out.append(styles.p(w["quality_problems"]))
        out.extend(styles.p("• " + strings.problem_words(p, language)) for p in problems)
    else:
        space = "" if language == "zh" else " "
        out.append(styles.p(w["quality_ok"] + space + w["quality_summary"].format(
            width=video.get("width", "?"), height=video.get("height", "?"), fps=f"{float(video.get('fps') or quality.get('fps') or 0):g}",
            frames=quality.get("frames", video.get("frames", "?")), walker=quality.get("walker_frames", "?"),
            steps=quality.get("steps", "?"), windows=result.windows)))  # fmt: skip
    notes = [strings.note_words(n, language) for n in result.notes]
    if notes:
        colon, space = ("：", "") if language == "zh" else (": ", " ")
        out.append(styles.p(w["notes"] + colon + space.join(notes), styles.small))
    return out


def _key_frame_flowables(result, styles: Styles, width: float, w: dict, video, silhouettes_only: bool,
                         count: int) -> list[Flowable]:  # fmt: skip
    frames = render_key_frames(result.heatmaps, result.per_frame, video, count, silhouettes_only)
    if not frames:
        return [styles.p(w["key_frames_none"], styles.small)]
    gap = min_gap_s(result.heatmaps, count)
    cell_w = width / len(frames)
    centred = ParagraphStyle("centred", parent=styles.small, alignment=1)
    pictures, labels = [], []
    for frame in frames:
        ok, encoded = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, 88])
        if not ok:
            raise OSError("could not encode a key frame picture")
        h, wd = frame.image.shape[:2]
        draw_h = min(150.0, (cell_w - 8) * h / wd)
        pictures.append(Image(io.BytesIO(encoded.tobytes()), width=draw_h * wd / h, height=draw_h))
        score = "–" if frame.score is None else f"{frame.score:.2f}"
        labels.append(styles.p(w["key_frame_label"].format(time=f"{frame.time_s:.1f}", score=score), centred))
    table = Table([pictures, labels], colWidths=[cell_w] * len(frames))
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
    caption = w["key_frames_caption"].format(n=len(frames), gap=f"{gap:.1f}")
    if silhouettes_only:
        caption += " " + w["key_frames_silhouettes"]
    elif not all(f.from_video for f in frames):
        caption += " " + w["key_frames_no_video"]
    return [table, Spacer(1, 3), charts.attention_legend_drawing(width, w, styles.fonts), styles.p(caption, styles.small)]


def _lead_in(text: str, styles: Styles) -> Paragraph:
    """A paragraph whose words up to the first colon are bold ("Whom to see: ...")."""
    for colon in ("：", ":"):
        head, sep, rest = text.partition(colon)
        if sep and len(head) < 30:
            return Paragraph(f"<b>{markup(head + sep, styles.fonts)}</b>{markup(rest, styles.fonts)}", styles.body)
    return styles.p(text)


def _referral_flowables(styles: Styles, width: float, w: dict) -> list[Flowable]:
    out = [styles.p(w["referral_intro"])]
    out += [_lead_in(w[key], styles) for key in ("referral_whom", "referral_bring", "referral_sooner")]
    slip = Table(
        [[styles.p(w["referral_return"], styles.label)],
         [styles.p(w["referral_findings"] + w["colon"].strip(), styles.body)], [Spacer(1, 30)],
         [Paragraph(markup(f"{w['referral_stamp']}{w['colon']}{'_' * 30}", styles.fonts) + "&nbsp;" * 6
                    + markup(f"{w['sign_date']}{w['colon']}{'_' * 16}", styles.fonts), styles.body)]],
        colWidths=[width],
    )  # fmt: skip
    slip.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, LABEL_GREY), ("LEFTPADDING", (0, 0), (-1, -1), 7),
                              ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))  # fmt: skip
    return [*out, Spacer(1, 4), slip]


def _page_decorations(title: str, w: dict, fonts: ReportFonts):
    def draw(canvas, doc) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        top = height - MARGIN + 4
        canvas.setFont(fonts.bold if not fonts.all_cjk else fonts.regular, 9)
        canvas.drawString(MARGIN, top, f"{PRODUCT} {__version__}")
        canvas.setFont(font_for(title, fonts), 8.5)
        canvas.setFillColor(LABEL_GREY)
        canvas.drawRightString(width - MARGIN, top, title)
        canvas.setStrokeColor(RULE_GREY)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 4, width - MARGIN, top - 4)
        canvas.line(MARGIN, MARGIN - 2, width - MARGIN, MARGIN - 2)
        canvas.setFont(font_for(w["footer"], fonts), 7.5)
        canvas.drawString(MARGIN, MARGIN - 12, w["footer"])
        page = w["page"].format(page=doc.page)
        canvas.setFont(font_for(page, fonts), 7.5)
        canvas.drawRightString(width - MARGIN, MARGIN - 12, page)
        canvas.restoreState()

    return draw


def document(path: str | os.PathLike, size: tuple[float, float], title: str, w: dict, fonts: ReportFonts,
             author: str | None = None) -> BaseDocTemplate:  # fmt: skip
    """A document with GenuScreen's header and footer on every page."""
    doc = BaseDocTemplate(str(path), pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=MARGIN + HEADER_GAP, bottomMargin=MARGIN + 4, title=title,
                          author=author or PRODUCT, creator=f"{PRODUCT} {__version__}", subject=title)  # fmt: skip
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)  # fmt: skip
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_decorations(title, w, fonts))])
    return doc


def suggested_report_name(child: dict | None, when: datetime | date | None = None) -> str:
    """A file name for a child's report: GenuScreen_<date>_<ID>_<name>.pdf, made safe."""
    when = when or datetime.now()
    parts = [PRODUCT, when.strftime("%Y-%m-%d")]
    if child:
        parts += [safe_filename(child.get("id"), ""), safe_filename(child.get("name"), "", max_bytes=48)]
    return "_".join(p for p in parts if p) + ".pdf"


def write_report(result, path: str | os.PathLike, *, child: dict | None = None, operator: str | None = None,
                 screened_at: datetime | None = None, video: str | os.PathLike | None = None, language: str = "en",
                 page: str = "A4", silhouettes_only: bool = False, key_frames: int = 4,
                 card: dict | None = None) -> Path:  # fmt: skip
    """Write the PDF report of one screening to ``path`` (atomically) and return the path.

    Args:
        result: the ScreeningResult (a fresh one, or ``Database.load_result``).
        child: id, name, date_of_birth (ISO), age_years, sex (the GUI's child form, or
            ``storage.Child.details()``); missing details print as "not given".
        operator: who screened; printed, and on the signature line.
        screened_at: when (default now).
        video: the recording, to read the key frames from; without it (or when it cannot be
            read) the key frames show the child's silhouettes.
        language: "en" or "zh" (Simplified Chinese); "zh_CN" and the like are accepted.
        page: "A4" or "Letter".
        silhouettes_only: show the silhouettes instead of the child's picture (privacy).
        key_frames: how many key frames (3 or 4 fit a row).
        card: the model card; default: found in weights/ by the result's model id.

    Raises:
        ValueError: an unknown language or page size.
        OSError: the file cannot be written (nothing is left at ``path`` then).
    """
    language = strings.normalise_language(language)
    size = page_size(page)
    w = strings.words(language)
    fonts = report_fonts(language)
    styles = Styles(fonts)
    child = dict(child or {})
    when = screened_at or datetime.now().astimezone()
    doc_width = size[0] - 2 * MARGIN
    story: list[Flowable] = [styles.p(w["title"], styles.title), styles.p(w["subtitle"], styles.subtitle), Spacer(1, 8)]

    sex = child.get("sex") or result.sex
    age = child.get("age_years") if child.get("age_years") is not None else result.age_y
    child_rows = [(w["id"], child.get("id")), (w["name"], child.get("name")),
                  (w["date_of_birth"], child.get("date_of_birth")), (w["age"], _fmt_age(age, w)),
                  (w["sex"], w.get(f"sex_{sex}") if sex else None)]  # fmt: skip
    model = result.model or {}
    video_info = result.video or {}
    recording = video_info.get("file")
    if recording and video_info.get("width"):
        recording += f" ({video_info['width']}×{video_info['height']})"
    screening_rows = [(w["date"], when.strftime("%Y-%m-%d %H:%M")), (w["operator"], operator),
                      (w["device"], "CPU" if result.device == "cpu" else result.device),
                      (w["model"], f"{model.get('id', '?')} {model.get('version', '')}".strip()),
                      (w["recording"], recording)]  # fmt: skip
    half = doc_width / 2 - 6
    details = Table(
        [[styles.p(w["child"], styles.heading), styles.p(w["screening"], styles.heading)],
         [_details_table(child_rows, styles, half, w), _details_table(screening_rows, styles, half, w)]],
        colWidths=[doc_width / 2, doc_width / 2],
    )  # fmt: skip
    details.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    story.append(details)

    result_parts: list[Flowable] = [_result_table(result, styles, doc_width, w, language)]
    if result.screenable and result.knee_angle_deg is not None:
        result_parts += [Spacer(1, 6), charts.angle_band_drawing(doc_width, result.knee_angle_deg, result.knee_angle_interval,
                                                                 result.norm_band_deg, w, fonts)]  # fmt: skip
    story.append(_section(w["result"], styles, *result_parts))
    story.append(_section(w["quality"], styles, *_quality_flowables(result, styles, w, language)))

    if result.screenable and result.per_frame:
        threshold = float(model.get("threshold", 0.5))
        story.append(_section(w["curves"], styles,
                              charts.curves_drawing(doc_width, result.per_frame, threshold, result.norm_band_deg, w, fonts),
                              styles.p(w["curves_caption"], styles.small)))  # fmt: skip
        story.append(_section(w["key_frames"], styles,
                              *_key_frame_flowables(result, styles, doc_width, w, video, silhouettes_only, key_frames)))  # fmt: skip

    if result.recommendation == clinical.RECOMMEND_REFER:
        story.append(_section(w["referral"], styles, *_referral_flowables(styles, doc_width, w)))

    card_data = _model_card(model, card)
    model_name = f"{model.get('id', '?')} {model.get('version', '')}".strip()
    if trained_on_synthetic_data(card_data):
        training = w["disclaimer_synthetic"].format(model=model_name)
    else:
        description = (card_data.get("training_data") or {}).get("description") or "?"
        training = w["disclaimer_trained_on"].format(model=model_name, description=description)
    story.append(_section(w["important"], styles, styles.p(w["disclaimer"]), styles.p(training),
                          _signature_block(styles, doc_width, w, operator),
                          Spacer(1, 6), styles.p(w["generated"].format(when=datetime.now().strftime("%Y-%m-%d %H:%M")),
                                                 styles.small)))  # fmt: skip

    with atomic_output(path) as tmp:
        document(tmp, size, w["title"], w, fonts).build(story)
    return Path(path)
