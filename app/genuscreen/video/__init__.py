"""Video layer: sources, walker extraction, quality gate and model-ready silhouette clips.

No Qt and no torch here: this package turns frames into checked arrays and nothing more.
"""

from genuscreen.video.clips import Clip, ClipSpec, build_clips
from genuscreen.video.errors import Cancelled, CameraError, VideoError, VideoOpenError
from genuscreen.video.inspect import FRONT_ENDS, Inspection, choose_front_end, inspect_video, walker_track
from genuscreen.video.quality import Problem, QualityLimits, QualityReport, check_quality
from genuscreen.video.sources import CameraSource, FileSource, Frame, VideoInfo, open_source
from genuscreen.video.steps import StepCount, count_steps
from genuscreen.video.walker import Extraction, ExtractionParams, PersonTrack, WalkerFrame, extract_walker

# Raised whenever a change makes the video stage cut different windows from the same file
# (segmentation, tracking, the quality gate, the step counter): windows cached from videos by
# an earlier version are then read again instead of reused. 2: step counter's octave fix.
# 3: the pose front end (the default).
PIPELINE_VERSION = 3

__all__ = [
    "FRONT_ENDS",
    "PIPELINE_VERSION",
    "CameraError",
    "CameraSource",
    "Cancelled",
    "Clip",
    "ClipSpec",
    "Extraction",
    "ExtractionParams",
    "FileSource",
    "Frame",
    "Inspection",
    "PersonTrack",
    "Problem",
    "QualityLimits",
    "QualityReport",
    "StepCount",
    "VideoError",
    "VideoInfo",
    "VideoOpenError",
    "WalkerFrame",
    "build_clips",
    "check_quality",
    "choose_front_end",
    "count_steps",
    "extract_walker",
    "inspect_video",
    "open_source",
    "walker_track",
]
