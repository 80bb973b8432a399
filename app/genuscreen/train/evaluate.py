"""Evaluation of a weights file, the paper's way and more, always beside the geometric baseline.

For the data the weights were trained on (recreated from the card: same source, same split by
child) and any extra test source: precision, recall and F1 for genu valgum on train, validation
and test, accuracy, ROC AUC, confusion matrix, expected calibration error and a reliability
diagram, knee angle MAE and Spearman correlation, results by age group and by legwear. Clip
scores are the mean over a clip's windows (the screening pipeline aggregates the same way).
Writes ``evaluation.md``, ``evaluation.json`` and ``reliability.png``.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np
import torch

from genuscreen.inference.aggregate import clip_estimates
from genuscreen.model.runtime import BatchRunner, choose_plan
from genuscreen.model.weights import VIDEO_VALIDATION_SET, angle_residual_sd, load_weights
from genuscreen.model.weights import update_card as _update_card
from genuscreen.train import metrics
from genuscreen.train.baseline import GeometricBaseline, clip_scores
from genuscreen.train.data import WindowSet, load_windows, split_by_child
from genuscreen.train.loop import clip_means, window_tensor
from genuscreen.video.clips import ClipSpec

AGE_GROUPS = ((3.0, 6.0, "3-5 y"), (6.0, 9.0, "6-8 y"), (9.0, 13.0, "9-12 y"))


def age_group(age: float | None) -> str:
    if age is None or not math.isfinite(age):
        return "unknown"
    for lo, hi, name in AGE_GROUPS:
        if lo <= age < hi:
            return name
    return "other"


def spec_of(card: dict) -> ClipSpec:
    i = card["input"]
    return ClipSpec(frames=i["frames"], height=i["height"], width=i["width"], fps=i["fps"], stride=i.get("stride", ClipSpec().stride))


def interval_coverage(data: WindowSet, window_angle: np.ndarray, spec: ClipSpec, residual_sd: float) -> float:
    """Share of clips whose 90 % knee-angle interval (as screening computes it) holds the true angle."""
    hits, n, k = 0, 0, 0
    for clip, truth in zip(data.clips, data.angles()):
        values = window_angle[k : k + clip["count"]]
        k += clip["count"]
        if clip["count"] == 0 or not np.isfinite(truth):
            continue
        _, est = clip_estimates(np.zeros(values.size), values, spec.frames, spec.stride, residual_sd)
        hits += est.low <= truth <= est.high
        n += 1
    return hits / n if n else float("nan")


def calibrated_interval_sd(data: WindowSet, window_angle: np.ndarray, spec: ClipSpec, share: float = 0.9) -> float:
    """The model-error SD (degrees) that makes screening's 90 % angle intervals hold the true angle
    for ``share`` of ``data``'s clips (bisection; coverage grows with the SD). Unlike the SD of
    the residuals, a few gross misses (a silhouette merged with furniture) do not widen every
    interval: the width is set by the share of clips it must cover, as in split-conformal
    calibration."""
    low, high = 0.0, 30.0
    for _ in range(30):
        middle = (low + high) / 2
        if interval_coverage(data, window_angle, spec, middle) >= share:
            high = middle
        else:
            low = middle
    return high


def window_predictions(model, data: WindowSet, device: str = "cpu", precision: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """P(genu valgum) and angle of every window of ``data``'s clips, in clip order."""
    runner = BatchRunner(model, choose_plan(device, precision, batch_size=32))
    idx = data.window_indices()
    probs, angles = [], []
    for start in range(0, idx.size, 256):
        out = runner(window_tensor(data.windows, idx[start : start + 256]).unsqueeze(1))
        probs.append(out["logits"].softmax(1)[:, 1].numpy())
        angles.append(out["angle"].numpy())
    prob = np.concatenate(probs) if probs else np.zeros(0)
    angle = np.concatenate(angles) if angles else np.zeros(0)
    return prob, angle


def _report_block(data: WindowSet, prob, angle, threshold, with_groups: bool) -> dict:
    targets, true_angle = data.targets(), data.angles()
    scored = np.isfinite(prob)
    hard = (targets >= 0) & scored
    block = metrics.classification(targets[hard], prob[hard], threshold)
    calib = metrics.calibration(targets[hard], prob[hard])
    block["ece"] = calib["ece"]
    known = np.isfinite(true_angle) & scored
    block.update(metrics.regression(true_angle[known], angle[known]))
    block["clips"] = len(data.clips)
    block["clips_without_windows"] = int((~scored).sum())
    if any("quality_ok" in c for c in data.clips):  # videos read end to end: what the gate said
        rejected = [c for c in data.clips if not c.get("quality_ok", True)]
        block["rejected_by_gate"] = len(rejected)
        block["rejected_share"] = len(rejected) / max(1, len(data.clips))
        reasons: dict[str, int] = {}
        for c in rejected:
            for code in c.get("problems", []):
                key = code.split(":")[0]
                reasons[key] = reasons.get(key, 0) + 1
        block["rejection_reasons"] = reasons
    if with_groups:
        sel = hard & known
        for key, values in (("by_age", [age_group(c.get("age")) for c in data.clips]),
                            ("by_legwear", [c.get("legwear") or "unknown" for c in data.clips])):  # fmt: skip
            values = np.array(values)
            block[key] = metrics.by_group(values[sel], targets[sel], prob[sel], true_angle[sel], angle[sel], threshold)
    return block, calib


def evaluate(weights: str | os.PathLike, out: str | os.PathLike, cache: str | os.PathLike,
             data: dict | None = None, device: str = "cpu", precision: str = "auto", progress=None,
             update_card: bool = False, command: str | None = None,
             validation_videos: str | os.PathLike | dict | None = None, card_sets: bool = True) -> dict:  # fmt: skip
    """Evaluate ``weights`` on its training data splits (from its card) and on ``data`` if given
    (an extra test source). Writes the reports into ``out`` and returns the JSON report; with
    ``update_card`` the card's metrics become this evaluation's (model and baseline per set).

    ``validation_videos``: labelled videos (not the test children) read through the whole video
    pipeline; their angle residual sizes the intervals of end-to-end sets, as screening does
    when the card carries it.

    ``card_sets`` False leaves out the card's own splits (only ``data`` and the validation
    videos); the geometric baseline is then fitted on the validation videos."""
    loaded = load_weights(weights)
    card, model = loaded.card, loaded.model
    spec = spec_of(card)
    threshold = float(card["threshold"])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    td = card.get("training_data", {})
    sets: dict[str, WindowSet] = {}
    if card_sets and td.get("source"):
        full = load_windows(td["source"], cache, spec, progress)
        usable = [i for i, c in enumerate(full.clips) if c["count"] > 0]
        tr, va, te = split_by_child([full.clips[i] for i in usable], tuple(td["split"]), td["split_seed"])
        sets["train"] = full.subset([usable[i] for i in tr])
        sets["validation"] = full.subset([usable[i] for i in va])
        if te:
            sets["test"] = full.subset([usable[i] for i in te])
        if td.get("test_source"):
            sets["test"] = load_windows(td["test_source"], cache, spec, progress)
    if data is not None:
        name = "videos (end to end)" if "videos" in data else ("test" if "test" not in sets else "extra test")
        sets[name] = load_windows(data, cache, spec, progress)
    if validation_videos is not None:
        if not isinstance(validation_videos, dict):
            validation_videos = {"videos": str(validation_videos)}
        sets[VIDEO_VALIDATION_SET] = load_windows(validation_videos, cache, spec, progress)
    if not sets:
        raise ValueError("nothing to evaluate: the card names no training data and no --data was given")

    report = {"weights": Path(weights).name, "card_id": card["id"], "version": card["version"],
              "threshold": threshold, "sets": {}, "baseline": {}, "command": command,
              "date": time.strftime("%Y-%m-%d"), "torch": torch.__version__}  # fmt: skip
    baseline_fit = "train" if "train" in sets else VIDEO_VALIDATION_SET if VIDEO_VALIDATION_SET in sets else next(iter(sets))
    scores = {name: clip_scores(s.windows, s.clips) for name, s in sets.items()}
    fit_mask = np.isfinite(scores[baseline_fit])
    baseline = GeometricBaseline.fit(scores[baseline_fit][fit_mask], sets[baseline_fit].targets()[fit_mask],
                                     sets[baseline_fit].angles()[fit_mask])  # fmt: skip
    report["baseline_fit"] = {"on": baseline_fit, "threshold": baseline.threshold, "slope_deg": baseline.slope,
                              "intercept_deg": baseline.intercept}  # fmt: skip
    last_calib = None
    residual_sd = None
    timings, predictions = {}, {}
    for name, data_set in sets.items():  # each set once; the validation set also sizes the intervals
        started = time.monotonic()
        predictions[name] = window_predictions(model, data_set, device, precision)
        timings[name] = time.monotonic() - started
    if "validation" in sets:  # the angle interval's model error, as the card will carry it
        val_clip_angle = clip_means(sets["validation"], predictions["validation"][1])
        known = np.isfinite(sets["validation"].angles()) & np.isfinite(val_clip_angle)
        residual_sd = float(np.std(val_clip_angle[known] - sets["validation"].angles()[known], ddof=1))
        report["angle_residual_sd_deg_validation"] = residual_sd
    card_sd = angle_residual_sd(card)  # the width screening uses with this card, before any update
    report["card_interval_sd_deg"] = card_sd
    video_interval_sd = None
    if VIDEO_VALIDATION_SET in sets:
        video_set = sets[VIDEO_VALIDATION_SET]
        clip_angle = clip_means(video_set, predictions[VIDEO_VALIDATION_SET][1])
        known = np.isfinite(video_set.angles()) & np.isfinite(clip_angle)
        report["angle_residual_sd_deg_validation_videos"] = float(np.std(clip_angle[known] - video_set.angles()[known], ddof=1))
        video_interval_sd = calibrated_interval_sd(video_set, predictions[VIDEO_VALIDATION_SET][1], spec)
        report["angle_interval_sd_deg_validation_videos"] = video_interval_sd
    for name, data_set in sets.items():
        window_prob, window_angle = predictions[name]
        prob, angle = clip_means(data_set, window_prob), clip_means(data_set, window_angle)
        block, calib = _report_block(data_set, prob, angle, threshold, with_groups=name != "train")
        # As screening does: the video residual for sets read from video when there is one.
        from_video = "rejected_by_gate" in block
        if from_video and "front_end" in data_set.source:
            block["front_end"] = data_set.source["front_end"]  # what found the child in these videos
        width_sd = video_interval_sd if from_video and video_interval_sd is not None else residual_sd
        if width_sd is not None and name not in ("validation", VIDEO_VALIDATION_SET):  # those set the width
            block["angle_interval_coverage_90"] = interval_coverage(data_set, window_angle, spec, width_sd)
        if from_video and card_sd is not None and name != VIDEO_VALIDATION_SET:  # the interval screening gives today
            block["angle_interval_coverage_90_card"] = interval_coverage(data_set, window_angle, spec, card_sd)
        block["seconds"] = round(timings[name], 1)
        report["sets"][name] = block
        s = scores[name]
        ok = np.isfinite(s)
        targets = data_set.targets()
        hard = ok & (targets >= 0)
        _, base_angle = baseline.predict(s)
        b = metrics.classification(targets[hard], s[hard], baseline.threshold)
        known = ok & np.isfinite(data_set.angles())
        b.update(metrics.regression(data_set.angles()[known], base_angle[known]))
        report["baseline"][name] = b
        if name in ("test", "validation"):
            last_calib = (name, calib)
    if last_calib:
        metrics.reliability_diagram(last_calib[1], out / "reliability.png", f"{card['id']} on {last_calib[0]}")
        report["reliability_diagram"] = {"set": last_calib[0], "file": "reliability.png"}
    _write(out / "evaluation.json", json.dumps(_clean(report), indent=1))
    if update_card:
        keys = ("n", "precision", "recall", "f1", "accuracy", "roc_auc", "ece", "angle_mae_deg", "angle_residual_sd_deg",
                "angle_spearman", "front_end")  # fmt: skip
        card_metrics = {name: {k: m[k] for k in keys if k in m} for name, m in report["sets"].items()}
        if video_interval_sd is not None:
            card_metrics[VIDEO_VALIDATION_SET]["angle_interval_sd_deg"] = video_interval_sd
        card_metrics["geometric_baseline"] = {name: {k: b.get(k) for k in keys if k in b} for name, b in report["baseline"].items()}
        _update_card(weights, metrics=_clean(card_metrics))
    _write(out / "evaluation.md", render_markdown(report))
    return report


def _clean(value):
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (np.integer, np.floating)):
        return _clean(value.item())
    return value


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _f(v, digits=3) -> str:
    return "n/a" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.{digits}f}"


def render_markdown(report: dict) -> str:
    lines = [
        f"# Evaluation of {report['weights']} ({report['card_id']}, version {report['version']})",
        "",
        (f"Command: `{report['command']}` ({report['date']}, torch {report['torch']}, CPU).\n\n" if report.get("command") else "")
        + f"Decision threshold {report['threshold']:.2f} (from the model card). Clip score = mean over the clip's windows. "
        "The geometric baseline (ankle gap minus knee gap of the silhouette, no learning; threshold and "
        f"angle line fitted on the {report['baseline_fit']['on']} set) is scored on the same clips.",
        "",
        "| set | method | clips | precision | recall | F1 | accuracy | ROC AUC | ECE | angle MAE (deg) | Spearman |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in report["sets"].items():
        b = report["baseline"][name]
        lines.append(f"| {name} | model | {m['n']} | {_f(m['precision'])} | {_f(m['recall'])} | {_f(m['f1'])} | "
                     f"{_f(m['accuracy'])} | {_f(m['roc_auc'])} | {_f(m['ece'])} | {_f(m['angle_mae_deg'], 2)} | {_f(m['angle_spearman'])} |")  # fmt: skip
        lines.append(f"| {name} | geometric baseline | {b['n']} | {_f(b['precision'])} | {_f(b['recall'])} | {_f(b['f1'])} | "
                     f"{_f(b['accuracy'])} | {_f(b['roc_auc'])} | | {_f(b['angle_mae_deg'], 2)} | {_f(b['angle_spearman'])} |")  # fmt: skip
    for name, m in report["sets"].items():
        c = m["confusion"]
        lines += ["", f"## {name}: confusion (genu valgum positive)", "",
                  "| | predicted valgum | predicted not |", "|---|---:|---:|",
                  f"| genu valgum | {c['tp']} | {c['fn']} |", f"| not valgum | {c['fp']} | {c['tn']} |"]  # fmt: skip
        if "rejected_by_gate" in m:
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(m["rejection_reasons"].items())) or "none"
            lines.append(f"\nEnd to end from video ({m.get('front_end', 'pose')} front end): {m['rejected_by_gate']} of "
                         f"{m['clips']} clips rejected by the quality "
                         f"gate ({m['rejected_share']:.1%}; reasons: {reasons}); the metrics above are over the clips it passed.")
        elif m.get("clips_without_windows"):
            lines.append(f"\n{m['clips_without_windows']} of {m['clips']} clips gave no windows.")
        for key, title in (("by_age", "age group"), ("by_legwear", "legwear")):
            if key in m:
                lines += ["", f"### {name} by {title}", "", f"| {title} | clips | F1 | recall | specificity | angle MAE |", "|---|---:|---:|---:|---:|---:|"]
                for g, gm in m[key].items():
                    lines.append(f"| {g} | {gm['n']} | {_f(gm['f1'])} | {_f(gm['recall'])} | {_f(gm['specificity'])} | {_f(gm['angle_mae_deg'], 2)} |")
    coverage = {n: m["angle_interval_coverage_90"] for n, m in report["sets"].items() if "angle_interval_coverage_90" in m}
    if coverage:
        video_sd = report.get("angle_interval_sd_deg_validation_videos")
        parts = []
        if "angle_residual_sd_deg_validation" in report:
            parts.append(f"the validation residual {report['angle_residual_sd_deg_validation']:.2f} deg")
        if video_sd:
            parts.append(f"for sets read from video, {video_sd:.2f} deg, the model error that makes 90 % of the "
                         f"validation videos' intervals hold their true angle (their residual SD is "
                         f"{report['angle_residual_sd_deg_validation_videos']:.2f} deg, widened by a few gross misses)")  # fmt: skip
        width = "; ".join(parts)
        lines += ["", f"Knee-angle 90 % intervals as screening computes them (spread over windows and {width}): "
                  "share holding the true angle: " + ", ".join(f"{n} {c:.1%}" for n, c in coverage.items())]
    if "reliability_diagram" in report:
        lines += ["", f"Reliability diagram ({report['reliability_diagram']['set']}): {report['reliability_diagram']['file']}"]
    return "\n".join(lines) + "\n"
