"""Metrics of a screening classifier and angle regressor, in plain numpy.

Genu valgum is the positive class. Probabilities are P(genu valgum); a prediction is positive
when the probability reaches the threshold. Every function takes 1-D arrays of equal length.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def confusion(labels: np.ndarray, predicted: np.ndarray) -> dict[str, int]:
    """True/false positives and negatives: labels and predictions are 0/1."""
    labels = np.asarray(labels).astype(bool)
    predicted = np.asarray(predicted).astype(bool)
    return {
        "tp": int(np.sum(labels & predicted)),
        "fp": int(np.sum(~labels & predicted)),
        "fn": int(np.sum(labels & ~predicted)),
        "tn": int(np.sum(~labels & ~predicted)),
    }


def _ratio(num: float, den: float) -> float:
    return float(num / den) if den > 0 else 0.0


def classification(labels: np.ndarray, probability: np.ndarray, threshold: float = 0.5) -> dict:
    """Precision, recall, F1 (genu valgum), specificity, accuracy, ROC AUC, confusion."""
    labels = np.asarray(labels).astype(int)
    probability = np.asarray(probability, dtype=np.float64)
    c = confusion(labels, probability >= threshold)
    precision = _ratio(c["tp"], c["tp"] + c["fp"])
    recall = _ratio(c["tp"], c["tp"] + c["fn"])
    return {
        "n": int(labels.size),
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "specificity": _ratio(c["tn"], c["tn"] + c["fp"]),
        "accuracy": _ratio(c["tp"] + c["tn"], labels.size),
        "roc_auc": roc_auc(labels, probability),
        "confusion": c,
        "threshold": threshold,
    }


def roc_auc(labels: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: the chance a random positive outscores a random negative
    (ties count half), from ranks. NaN when one class is absent."""
    labels = np.asarray(labels).astype(bool)
    score = np.asarray(score, dtype=np.float64)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = _average_ranks(score)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing their average rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    ranks = np.empty(values.size, dtype=np.float64)
    start = 0
    while start < values.size:
        end = start
        while end + 1 < values.size and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation (Pearson on average ranks). NaN when either is constant."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size < 2:
        return float("nan")
    ra, rb = _average_ranks(a), _average_ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    den = np.sqrt((ra**2).sum() * (rb**2).sum())
    return float((ra * rb).sum() / den) if den > 0 else float("nan")


def regression(true_deg: np.ndarray, predicted_deg: np.ndarray) -> dict:
    """Knee angle errors: mean absolute error, bias, Spearman correlation."""
    true_deg = np.asarray(true_deg, dtype=np.float64)
    predicted_deg = np.asarray(predicted_deg, dtype=np.float64)
    error = predicted_deg - true_deg
    return {
        "angle_mae_deg": float(np.abs(error).mean()) if error.size else float("nan"),
        "angle_bias_deg": float(error.mean()) if error.size else float("nan"),
        # Spread of the errors: screening uses it for the width of the angle interval.
        "angle_residual_sd_deg": float(error.std(ddof=1)) if error.size > 1 else float("nan"),
        "angle_spearman": spearman(true_deg, predicted_deg),
    }


def calibration(labels: np.ndarray, probability: np.ndarray, bins: int = 10) -> dict:
    """Expected calibration error over equal-width bins of P(genu valgum), with the bins.

    ECE = sum over bins of (share of samples in the bin) x |observed rate - mean probability|.
    """
    labels = np.asarray(labels, dtype=np.float64)
    probability = np.asarray(probability, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(probability, edges[1:-1]), 0, bins - 1)
    table = []
    ece = 0.0
    for b in range(bins):
        inside = which == b
        count = int(inside.sum())
        if count == 0:
            table.append({"low": edges[b], "high": edges[b + 1], "count": 0, "mean_probability": None, "observed": None})
            continue
        mean_p = float(probability[inside].mean())
        observed = float(labels[inside].mean())
        ece += count / max(1, labels.size) * abs(observed - mean_p)
        table.append({"low": float(edges[b]), "high": float(edges[b + 1]), "count": count,
                      "mean_probability": mean_p, "observed": observed})  # fmt: skip
    return {"ece": float(ece), "bins": table}


def reliability_diagram(calib: dict, path: str | Path, title: str = "Reliability") -> None:
    """A reliability diagram PNG: observed rate against mean probability per bin, bar widths by
    count, the diagonal for perfect calibration. Drawn with OpenCV (no plotting dependency)."""
    import cv2

    size, margin = 400, 50
    img = np.full((size + 2 * margin, size + 2 * margin, 3), 255, np.uint8)

    def at(x: float, y: float) -> tuple[int, int]:
        return int(margin + x * size), int(margin + (1 - y) * size)

    cv2.rectangle(img, at(0, 0), at(1, 1), (0, 0, 0), 1)
    cv2.line(img, at(0, 0), at(1, 1), (160, 160, 160), 1, cv2.LINE_AA)
    total = sum(b["count"] for b in calib["bins"]) or 1
    for b in calib["bins"]:
        if not b["count"]:
            continue
        cv2.rectangle(img, at(b["low"], 0), at(b["high"], b["observed"]), (200, 150, 60), -1)
        cv2.rectangle(img, at(b["low"], 0), at(b["high"], b["observed"]), (120, 80, 30), 1)
        cv2.circle(img, at(b["mean_probability"], b["observed"]), 4, (30, 30, 200), -1, cv2.LINE_AA)
        share = f"{b['count'] / total:.0%}"
        cv2.putText(img, share, at(b["low"] + 0.01, 0.02), cv2.FONT_HERSHEY_SIMPLEX, 0.3, (0, 0, 0), 1, cv2.LINE_AA)
    for v in (0.0, 0.5, 1.0):
        cv2.putText(img, f"{v:g}", (at(v, 0)[0] - 8, size + margin + 18), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
        cv2.putText(img, f"{v:g}", (margin - 30, at(0, v)[1] + 4), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
    cv2.putText(img, f"{title}  (ECE {calib['ece']:.3f})", (margin, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    cv2.putText(img, "mean P(genu valgum)", (margin + size // 2 - 70, size + margin + 38), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
    cv2.putText(img, "observed", (4, margin - 8), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp.png")
    if not cv2.imwrite(str(tmp), img):
        raise OSError(f"could not write {path}")
    tmp.replace(path)


def summarise(labels, probability, true_deg, predicted_deg, threshold: float = 0.5) -> dict:
    """Classification, calibration and angle metrics of one set of predictions."""
    out = classification(labels, probability, threshold)
    out["ece"] = calibration(labels, probability)["ece"]
    out.update(regression(true_deg, predicted_deg))
    return out


def by_group(groups: np.ndarray, labels, probability, true_deg, predicted_deg, threshold: float = 0.5) -> dict:
    """``summarise`` within each group value (age band, legwear...)."""
    groups = np.asarray(groups)
    arrays = [np.asarray(a) for a in (labels, probability, true_deg, predicted_deg)]
    return {
        str(g): summarise(*(a[groups == g] for a in arrays), threshold=threshold)
        for g in sorted(set(groups.tolist()))
    }
