"""Synthetic walking-child videos with exact ground truth.

The package renders a person (by default a child) walking through a room in front of a pinhole
camera, with per-frame masks, boxes and joint positions, and the heel-strike times and knee angle
that produced them. The video pipeline's tests and benchmark, and the product's small sample
clip, are made with it. It needs only numpy and OpenCV.
"""

from genuscreen.synth.walk import (
    RenderedFrame,
    Scene,
    Walker,
    heel_strike_times,
    heel_strikes,
    render,
    write_video,
)

__all__ = [
    "RenderedFrame",
    "Scene",
    "Walker",
    "heel_strike_times",
    "heel_strikes",
    "render",
    "write_video",
]
