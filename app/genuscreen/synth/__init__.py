"""Synthetic walking-child videos with exact ground truth.

The package renders a person (by default a child) walking through a room in front of a pinhole
camera, with per-frame masks, boxes and joint positions, and the heel-strike times and knee angle
that produced them. The video pipeline's tests and benchmark, and the product's small sample
clip, are made with it. It needs only numpy and OpenCV.

Data sets come in two tiers (``dataset.TIERS``): "clean" (still camera, one child) and "school"
(``synth.school``: the same children filmed with a hand-held camera, bystanders, blur, flicker,
low light and strong compression).
"""

# Recorded in data caches and model cards: raise it whenever the same seed would draw a
# different child or scene, so that stale caches are not reused and weights say what they saw.
GENERATOR_VERSION = "1"

from genuscreen.synth.walk import (
    SKIN_TONES_BGR,
    LegGeometry,
    Prop,
    RenderedFrame,
    Scene,
    Walker,
    heel_strike_times,
    heel_strikes,
    intermalleolar_distance_cm,
    leg_geometry,
    render,
    valgum_severity,
    write_video,
)
from genuscreen.synth.dataset import (
    TIERS,
    DatasetError,
    clip_seed,
    label_plan,
    load_masks,
    sample_child,
    sample_clip,
    sample_scene,
    silhouette_clips,
    write_dataset,
)
from genuscreen.synth.school import SchoolClip, render_school, sample_school_clip

__all__ = [
    "TIERS",
    "Prop",
    "SchoolClip",
    "render_school",
    "sample_school_clip",
    "GENERATOR_VERSION",
    "DatasetError",
    "RenderedFrame",
    "Scene",
    "Walker",
    "clip_seed",
    "heel_strike_times",
    "heel_strikes",
    "label_plan",
    "load_masks",
    "render",
    "sample_child",
    "sample_clip",
    "sample_scene",
    "silhouette_clips",
    "write_dataset",
    "write_video",
]
