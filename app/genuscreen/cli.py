"""The ``genuscreen`` command.

Sub-commands:
    inspect VIDEO   check a recording against the protocol; optional JSON and contact sheet
    gui             start the desktop application (also the ``genuscreen-gui`` script)

Errors the user can act on are printed as one clear line on stderr with exit code 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from genuscreen import __version__

EXIT_OK = 0
EXIT_NOT_SCREENABLE = 1  # the command worked, but the clip does not meet the protocol
EXIT_USER_ERROR = 2


def _write_json_atomic(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _print_report(inspection) -> None:
    q = inspection.quality
    info = inspection.extraction.info
    print(f"{Path(info.source).name}: {info.width}x{info.height}, {q.fps:.1f} fps, {q.frames} frames")
    print(f"walker in {q.walker_frames} frames, {q.steps} steps, {len(inspection.clips)} clips")
    if q.ok:
        print("quality: OK - the recording can be screened")
    else:
        print("quality: NOT SCREENABLE")
        for problem in q.problems:
            print(f"  [{problem.code}] {problem.message}")


def cmd_inspect(args: argparse.Namespace) -> int:
    from genuscreen.video import VideoError, inspect_video
    from genuscreen.video.sheet import write_contact_sheet

    def progress(stage: str, done: int, total: int) -> None:
        if args.progress and (done == total or done % 50 == 0):
            print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        inspection = inspect_video(args.video, empty_scene=args.empty_scene, progress=progress)
    except VideoError as error:
        print(f"genuscreen inspect: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    if args.progress:
        print(file=sys.stderr)
    _print_report(inspection)
    try:
        if args.json:
            _write_json_atomic(Path(args.json), inspection.to_dict())
            print(f"report written to {args.json}")
        if args.sheet:
            write_contact_sheet(inspection.extraction, args.sheet)
            print(f"contact sheet written to {args.sheet}")
    except OSError as error:
        print(f"genuscreen inspect: could not write the output ({error.strerror or error}). "
              "Choose a folder you can write to.", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK if inspection.quality.ok else EXIT_NOT_SCREENABLE


def cmd_gui(_args: argparse.Namespace) -> int:
    from genuscreen.gui.app import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genuscreen",
        description="GenuScreen: screening support for knock-knees in children from a walking video. "
        "Not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"GenuScreen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("inspect", help="check a recording against the protocol (quality report)")
    p.add_argument("video", help="video file of a child walking toward the camera")
    p.add_argument("--json", metavar="FILE", help="write the quality report as JSON")
    p.add_argument("--sheet", metavar="PNG", help="write a contact sheet of frames with box and silhouette")
    p.add_argument("--empty-scene", metavar="FILE", help="image or clip of the scene without anyone in it")
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("gui", help="start the desktop application")
    p.set_defaults(func=cmd_gui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def gui_main() -> int:
    return main(["gui"])


if __name__ == "__main__":
    raise SystemExit(main())
