"""Attention maps for every window (HiResCAM), mapped back to the frames of the video, and the
overlay.

The model is split at its ``cam_layer`` (``model.cam_split()``): the trunk runs on the fast
inference path without gradients; only the tail runs with them. For each window, the gradient
of the logit of the class it predicts with respect to the trunk's output is multiplied element
by element with that output and summed over channels, then rectified: HiResCAM (Draelos & Carin
2020), which, unlike Grad-CAM's channel-averaged gradient, keeps where in the map each channel
mattered. No hooks are registered, so none can be left behind.

Maps have the cells of the trunk's output (8 x 16 x 11 for the default model). Chosen by
measurement (benchmarks/RESULTS-explanations.md): Grad-CAM on the last stage spread its 2 x 4 x 3
cells over the whole model crop. Per clip frame they are resized to the model's window (64 x 44
by default), averaged over the windows that share the frame, scaled to the clip's largest value
and stored as uint8 with the frame's crop box: a 60 s clip keeps about 2.5 MB of heatmaps
whatever its video resolution.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import torch

def attention_maps(tail: torch.nn.Module, features: torch.Tensor, autocast: dict | None = None) -> tuple[dict, torch.Tensor]:
    """(outputs, maps) of the tail on trunk ``features``: maps [n, t, h, w] (3D features) or
    [n, 1, h, w] (2D), rectified, not normalised."""
    # A clone outside inference mode: the fast path hands back inference tensors, which
    # cannot take part in autograd.
    features = features.detach().float().clone().requires_grad_(True)
    with torch.enable_grad(), torch.autocast(features.device.type, **(autocast or {"enabled": False})):
        out = tail(features)
        # Each window explains the class it predicts: a clearly normal child has no evidence
        # for genu valgum, and a valgum-only map would be empty for them.
        logits = out["logits"].float()
        score = logits.gather(1, logits.argmax(1, keepdim=True)).sum()
    (grad,) = torch.autograd.grad(score, features)
    cam = torch.relu((grad * features).sum(dim=1))  # [n, t, h, w] or [n, h, w]
    if cam.ndim == 3:
        cam = cam.unsqueeze(1)
    return {k: v.detach().float() for k, v in out.items()}, cam.detach().float()


@dataclass
class FrameHeatmaps:
    """Heatmaps of the clip frames: ``maps[k]`` (uint8 [H, W], 255 = the clip's strongest
    attention) covers ``boxes[k]`` (x0, y0, x1, y1 in full-frame pixels) of video frame
    ``frame_indices[k]`` at ``times_s[k]``. ``silhouettes[k]`` (uint8 0/1 [H, W], when known)
    is the child's silhouette in the same model window, so a frame can be shown without the
    child's picture (the report's privacy option)."""

    maps: np.ndarray  # uint8 [K, H, W]
    boxes: np.ndarray  # float32 [K, 4]
    frame_indices: np.ndarray  # int [K]
    times_s: np.ndarray  # float [K]
    silhouettes: np.ndarray | None = None  # uint8 0/1 [K, H, W]

    def nbytes(self) -> int:
        """Bytes of the heatmaps and their placement (the silhouettes are counted apart)."""
        return int(self.maps.nbytes + self.boxes.nbytes + self.frame_indices.nbytes + self.times_s.nbytes)

    def nearest(self, frame_index: int) -> int | None:
        """Position of the heatmap for ``frame_index`` (the nearest clip frame within 2 frames)."""
        if self.frame_indices.size == 0:
            return None
        k = int(np.argmin(np.abs(self.frame_indices - frame_index)))
        return k if abs(int(self.frame_indices[k]) - frame_index) <= 2 else None

    def full_frame(self, k: int, width: int, height: int) -> np.ndarray:
        """Heatmap k as float32 [height, width] in [0, 1], zero outside its box."""
        out = np.zeros((height, width), np.float32)
        x0, y0, x1, y1 = self.boxes[k]
        bx0, by0 = int(np.floor(x0)), int(np.floor(y0))
        bw, bh = max(1, int(round(x1 - x0))), max(1, int(round(y1 - y0)))
        patch = cv2.resize(self.maps[k].astype(np.float32) / 255.0, (bw, bh), interpolation=cv2.INTER_LINEAR)
        fx0, fy0 = max(0, bx0), max(0, by0)
        fx1, fy1 = min(width, bx0 + bw), min(height, by0 + bh)
        if fx1 > fx0 and fy1 > fy0:
            out[fy0:fy1, fx0:fx1] = patch[fy0 - by0 : fy1 - by0, fx0 - bx0 : fx1 - bx0]
        return out

    def lower_body_share(self, k: int) -> float:
        """Share of heatmap k's mass in the lower half of its box (knees and shanks)."""
        m = self.maps[k].astype(np.float64)
        total = m.sum()
        return float(m[m.shape[0] // 2 :].sum() / total) if total > 0 else 0.0


def frame_heatmaps(cams: torch.Tensor, clips, size: tuple[int, int]) -> FrameHeatmaps:
    """Per-clip-frame heatmaps from window maps ``cams`` [n, t, h, w] and the clips they came
    from (``video.clips.Clip``: crop boxes, frame indices, times). ``size`` is (H, W)."""
    h, w = size
    sums: dict[int, np.ndarray] = {}
    counts: dict[int, int] = {}
    box: dict[int, np.ndarray] = {}
    when: dict[int, float] = {}
    silhouette: dict[int, np.ndarray] = {}
    for cam, clip in zip(cams.numpy(), clips):
        frames = len(clip.frame_indices)
        for j in range(frames):
            cell = cam[min(cam.shape[0] - 1, j * cam.shape[0] // frames)]
            up = cv2.resize(cell.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
            key = int(clip.frame_indices[j])
            if key in sums:
                sums[key] += up
                counts[key] += 1
            else:
                sums[key], counts[key] = up, 1
                box[key], when[key] = clip.crop_boxes[j].astype(np.float32), float(clip.times_s[j])
                silhouette[key] = _binary_silhouette(clip, j, (h, w))
    keys = sorted(sums)
    if not keys:
        return FrameHeatmaps(np.zeros((0, h, w), np.uint8), np.zeros((0, 4), np.float32), np.zeros(0, int), np.zeros(0),
                             np.zeros((0, h, w), np.uint8))  # fmt: skip
    maps = np.stack([sums[k] / counts[k] for k in keys])
    peak = float(maps.max())
    scaled = np.round(255 * maps / peak) if peak > 0 else np.zeros_like(maps)
    return FrameHeatmaps(
        scaled.astype(np.uint8), np.stack([box[k] for k in keys]), np.array(keys), np.array([when[k] for k in keys]),
        np.stack([silhouette[k] for k in keys]),
    )  # fmt: skip


def _binary_silhouette(clip, j: int, size: tuple[int, int]) -> np.ndarray:
    """Clip frame j's silhouette as uint8 0/1 at ``size`` (H, W); clips without silhouettes give zeros."""
    sil = getattr(clip, "silhouettes", None)
    if sil is None or j >= len(sil):
        return np.zeros(size, np.uint8)
    frame = np.asarray(sil[j], np.float32)
    if frame.shape != size:
        frame = cv2.resize(frame, (size[1], size[0]), interpolation=cv2.INTER_AREA)
    return (frame >= 0.5).astype(np.uint8)


def colour_legend(colormap: int, height: int, width: int = 18) -> np.ndarray:
    """A vertical colour bar, strongest at the top (``overlay`` labels it)."""
    ramp = np.linspace(255, 0, height).astype(np.uint8)[:, None].repeat(width, axis=1)
    bar = cv2.applyColorMap(ramp, colormap)
    return bar


def overlay(frame_bgr: np.ndarray, heat: np.ndarray, opacity: float = 0.45, colormap: int = cv2.COLORMAP_JET,
            legend: bool = True) -> np.ndarray:  # fmt: skip
    """The frame with ``heat`` (float [H, W] in [0, 1], same size) blended in, more opaque where
    attention is stronger, and a colour legend at the right edge."""
    coloured = cv2.applyColorMap(np.round(np.clip(heat, 0, 1) * 255).astype(np.uint8), colormap)
    # Weak attention fades out instead of washing the whole crop in the colormap's low colour.
    alpha = np.clip(heat * 3.0, 0, 1).astype(np.float32)[..., None] * opacity
    out = (frame_bgr.astype(np.float32) * (1 - alpha) + coloured.astype(np.float32) * alpha).astype(np.uint8)
    if legend and out.shape[0] >= 80 and out.shape[1] >= 80:
        h = max(40, out.shape[0] // 4)
        bar = colour_legend(colormap, h)
        x0, y0 = out.shape[1] - bar.shape[1] - 10, 22
        out[y0 : y0 + h, x0 : x0 + bar.shape[1]] = bar
        cv2.rectangle(out, (x0 - 1, y0 - 1), (x0 + bar.shape[1], y0 + h), (255, 255, 255), 1)
        font = cv2.FONT_HERSHEY_SIMPLEX
        cv2.putText(out, "high", (x0 - 38, y0 + 10), font, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
        cv2.putText(out, "low", (x0 - 30, y0 + h), font, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
        cv2.putText(out, "attention", (x0 - 70, y0 - 8), font, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
    return out


def write_overlay_video(video, result, path, opacity: float = 0.45, colormap: int = cv2.COLORMAP_JET,
                        should_cancel=None) -> int:  # fmt: skip
    """Write the recording with the attention overlay, the walker's box and the per-frame score
    to ``path`` (MPEG-4 part 2, which OpenCV writes everywhere), via a temporary file. Returns
    the number of frames written."""
    from pathlib import Path

    from genuscreen.video.errors import Cancelled
    from genuscreen.video.sources import FileSource

    path = Path(path)
    heat = result.heatmaps
    scores = {p["frame"]: p for p in result.per_frame}
    score_frames = np.array(sorted(scores)) if scores else np.zeros(0, int)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix or '.mp4'}")
    source = FileSource(video)
    writer = None
    written = 0
    try:
        for frame in source.frames():
            if should_cancel and should_cancel():
                raise Cancelled("overlay cancelled")
            image = frame.image
            h, w = image.shape[:2]
            if writer is None:
                writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*"mp4v"), source.info.fps or 25.0, (w, h))
                if not writer.isOpened():
                    raise OSError(f"cannot write a video to {path}")
            k = heat.nearest(frame.index) if heat is not None else None
            if k is not None:
                image = overlay(image, heat.full_frame(k, w, h), opacity, colormap)
                x0, y0, x1, y1 = (int(round(v)) for v in heat.boxes[k])
                cv2.rectangle(image, (x0, y0), (x1, y1), (255, 255, 255), 1)
            if score_frames.size:
                j = int(np.argmin(np.abs(score_frames - frame.index)))
                if abs(int(score_frames[j]) - frame.index) <= 2:
                    p = scores[int(score_frames[j])]
                    text = f"risk {p['score']:.2f}  angle {p['angle_deg']:.0f} deg"
                    cv2.putText(image, text, (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (0, 0, 0), 3, cv2.LINE_AA)
                    cv2.putText(image, text, (10, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1, cv2.LINE_AA)
            writer.write(image)
            written += 1
        if writer is None:
            raise OSError("the video has no frames to draw on")
        writer.release()
        writer = None
        tmp.replace(path)
    finally:
        if writer is not None:
            writer.release()
        tmp.unlink(missing_ok=True)
    return written
