"""Regenerate the bundled sample clip (resources/sample/sample_walk.mp4) with the synthetic renderer.

A child of 7 (1.22 m) walks from 6 m to 2 m toward a camera at 0.8 m, after a short empty lead-in,
in a synthetic room. Run: make sample
"""

from __future__ import annotations

from pathlib import Path

from genuscreen.synth import Scene, Walker, render, write_video

SCENE = Scene(
    width=640,
    height=480,
    fps=25.0,
    duration_s=5.5,
    camera_height_m=0.8,
    hfov_deg=62.0,
    walkers=(Walker(height_m=1.22, start_time_s=0.7, speed_m_s=1.05, cadence_steps_per_min=145, tfa_deg=6.0),),
    seed=20251125,
)


def main() -> None:
    out = Path(__file__).with_name("sample_walk.mp4")
    frames = write_video(out, (frame.image for frame in render(SCENE)), SCENE.fps)
    print(f"wrote {out} ({frames} frames, {out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
