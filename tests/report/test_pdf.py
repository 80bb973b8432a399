"""One child's PDF report: what it says (as pdftotext reads it), in English and Chinese, page
sizes, key frames, fonts, and that a failed write leaves nothing behind."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from reportlab.platypus import Flowable

from genuscreen import __version__
from genuscreen.assets import sample_clip
from genuscreen.report import pdf as pdf_module
from genuscreen.report import suggested_report_name, trained_on_synthetic_data, write_report
from genuscreen.report.keyframes import choose_key_frames, min_gap_s, render_key_frames
from tests.report.conftest import pdf_fonts, pdf_info, pdf_text
from tests.storage.results import make_result, small_heatmaps

CHILD = {"id": "S3B-07", "name": "王小明", "date_of_birth": "2017-04-12", "age_years": 8.0, "sex": "M"}
WHEN = datetime(2025, 6, 3, 9, 41, tzinfo=timezone.utc)


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces (pdftotext wraps lines)."""
    return " ".join(text.split())


def test_english_report_has_the_child_the_result_and_the_disclaimer(sample_result, tmp_path: Path) -> None:
    out = write_report(sample_result, tmp_path / "report.pdf", child=CHILD, operator="Nurse Li", screened_at=WHEN,
                       video=sample_clip())  # fmt: skip
    assert out == tmp_path / "report.pdf"
    text = flat(pdf_text(out))
    for expected in (
        f"GenuScreen {__version__}", "S3B-07", "王小明", "2017-04-12", "8 years", "male", "2025-06-03 09:41",
        "Nurse Li", "CPU", "genuscreen-gaitnet-synthetic-1 0.1.0", "sample_walk.mp4",
        "Genu valgum unlikely", "No concern", sample_result.reason, "Risk of genu valgum",
        f"{sample_result.knee_angle_deg:.1f}° valgus", "Normal band for 8 years: 0–11°",
        "The recording meets the protocol", f"{sample_result.quality['steps']} steps", "Risk and knee angle along the walk",
        "Key frames with the model's attention", "screening support, not a diagnosis",
        "not clinically validated", "trained on synthetic children only", "Signature",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Referral" not in text, "no referral section unless the recommendation is refer"
    info = pdf_info(out)
    assert info["Page size"].startswith("595.276 x 841.89") and int(info["Pages"]) <= 3
    assert "WenQuanYi" in pdf_fonts(out) or "STSong" in pdf_fonts(out), "a CJK font draws the Chinese name"


def test_chinese_report_extracts_chinese_words(sample_result, tmp_path: Path) -> None:
    out = write_report(sample_result, tmp_path / "报告.pdf", child=CHILD, operator="李护士", screened_at=WHEN,
                       video=sample_clip(), language="zh_CN", page="Letter")  # fmt: skip
    text = flat(pdf_text(out))
    for expected in ("膝关节力线筛查报告", "王小明", "李护士", "儿童信息", "性别", "男", "膝外翻风险", "估计膝角",
                     "膝外翻可能性低", "无需处理", "正常范围", "关键帧", "仅用于辅助筛查", "不是诊断", "合成儿童", "签名"):  # fmt: skip
        assert expected in text, expected
    assert pdf_info(out)["Page size"].startswith("612 x 792")
    assert "WenQuanYi" in pdf_fonts(out) or "STSong" in pdf_fonts(out)


@pytest.mark.parametrize("language, words", [
    ("en", ("Referral", "paediatrician", "What to bring", "more than 8 cm", "Doctor's findings", "Refer",
            "Genu valgum likely")),
    ("zh", ("转诊", "儿科医生", "请携带", "8 厘米", "医生意见", "膝外翻可能性高", "建议转诊")),
])  # fmt: skip
def test_a_referral_gets_the_referral_section(tmp_path: Path, language: str, words: tuple[str, ...]) -> None:
    out = write_report(make_result("refer", age_y=9.0), tmp_path / "refer.pdf", child=CHILD, language=language)
    text = flat(pdf_text(out))
    for expected in words:
        assert expected in text, expected


def test_re_screen_in_chinese_says_fu_cha(tmp_path: Path) -> None:
    text = flat(pdf_text(write_report(make_result("re_screen"), tmp_path / "r.pdf", language="zh")))
    assert "复查" in text and "结果不明确" in text
    assert "未填写" in text, "missing child details print as 'not given'"


def test_a_recording_that_cannot_be_screened(tmp_path: Path) -> None:
    result = make_result("not_screenable")
    text = flat(pdf_text(write_report(result, tmp_path / "ns.pdf", child=CHILD)))
    assert "Cannot be screened" in text and "The person walks across the picture." in text
    assert "Key frames" not in text and "Referral" not in text
    text_zh = flat(pdf_text(write_report(result, tmp_path / "ns_zh.pdf", language="zh")))
    assert "无法筛查" in text_zh and "横穿画面" in text_zh


class Explodes(Flowable):
    """A flowable that fails while the PDF is being laid out, after earlier pages were drawn."""

    def wrap(self, *_args):
        return (10, 10)

    def draw(self):
        raise RuntimeError("failure in the middle of the build")


def test_a_failed_write_leaves_no_file_and_keeps_an_old_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_module, "_signature_block", lambda *args, **kwargs: Explodes())
    target = tmp_path / "report.pdf"
    with pytest.raises(RuntimeError, match="middle of the build"):
        write_report(make_result("refer"), target, child=CHILD)
    assert list(tmp_path.iterdir()) == [], "no report and no temporary file"

    target.write_bytes(b"%PDF an earlier, good report")
    with pytest.raises(RuntimeError):
        write_report(make_result("refer"), target, child=CHILD)
    assert target.read_bytes() == b"%PDF an earlier, good report"
    assert list(tmp_path.iterdir()) == [target]


def test_bad_options_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="A4 or Letter"):
        write_report(make_result(), tmp_path / "a.pdf", page="A5")
    with pytest.raises(ValueError, match="Simplified Chinese"):
        write_report(make_result(), tmp_path / "a.pdf", language="fr")
    assert list(tmp_path.iterdir()) == []


def test_key_frames_are_the_most_attended_and_spread_out() -> None:
    heat = small_heatmaps(frames=20)
    mass = heat.maps.reshape(20, -1).sum(1)
    chosen = choose_key_frames(heat, 4)
    assert len(chosen) == 4 and chosen == sorted(chosen)
    assert int(np.argmax(mass)) in chosen, "the frame with the most attention is shown"
    times = heat.times_s[chosen]
    assert np.all(np.diff(times) >= min_gap_s(heat, 4) - 1e-9)
    assert choose_key_frames(heat, 3) and len(choose_key_frames(heat, 3)) == 3


def test_key_frames_from_the_video_or_silhouettes_only(sample_result) -> None:
    from_video = render_key_frames(sample_result.heatmaps, sample_result.per_frame, sample_clip(), 4)
    assert len(from_video) == 4 and all(f.from_video for f in from_video)
    private = render_key_frames(sample_result.heatmaps, sample_result.per_frame, sample_clip(), 4, silhouettes_only=True)
    assert [f.frame_index for f in private] == [f.frame_index for f in from_video]
    assert not any(f.from_video for f in private)
    for frame in private:
        # Only greys (the silhouette) and the attention colours: no picture of the child.
        assert frame.image.ndim == 3 and frame.image.shape[0] == 320
    missing = render_key_frames(sample_result.heatmaps, sample_result.per_frame, "/nonexistent/walk.mp4", 4)
    assert len(missing) == 4 and not any(f.from_video for f in missing)


def test_report_says_when_silhouettes_replace_the_picture(sample_result, tmp_path: Path) -> None:
    text = flat(pdf_text(write_report(sample_result, tmp_path / "s.pdf", video=sample_clip(), silhouettes_only=True)))
    assert "Silhouettes only" in text
    text = flat(pdf_text(write_report(sample_result, tmp_path / "n.pdf", video=None)))
    assert "silhouettes are shown instead" in text


def test_cid_font_fallback_when_no_font_file(tmp_path: Path, monkeypatch) -> None:
    from genuscreen.report import fonts

    name, source = fonts.cjk_font((tmp_path / "missing.ttc",))
    assert name == "STSong-Light" and "built-in" in source
    monkeypatch.setattr(fonts, "cjk_font", lambda: (name, source))
    out = write_report(make_result(), tmp_path / "cid.pdf", child=CHILD, language="zh")
    # Named, not embedded: the PDF viewer supplies the glyphs (poppler needs its poppler-data
    # package for that, so the text is not checked here).
    assert b"/BaseFont /STSong-Light" in out.read_bytes()


def test_training_data_wording_follows_the_card(tmp_path: Path) -> None:
    assert trained_on_synthetic_data(None) and trained_on_synthetic_data({"training_data": {"source": {"synthetic": {}}}})
    card = {"id": "clinic-1", "training_data": {"source": {"videos": "x"}, "description": "420 clinic videos of children"}}
    assert not trained_on_synthetic_data(card)
    text = flat(pdf_text(write_report(make_result(), tmp_path / "c.pdf", card=card)))
    assert "420 clinic videos of children" in text and "synthetic children only" not in text


def test_suggested_name_is_safe() -> None:
    name = suggested_report_name({"id": "../A1", "name": "王 小明/\x00"}, WHEN)
    assert name == "GenuScreen_2025-06-03_A1_王_小明.pdf"
