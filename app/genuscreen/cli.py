"""The ``genuscreen`` command.

Sub-commands:
    inspect VIDEO   check a recording against the protocol; optional JSON and contact sheet
    screen VIDEO    screen a recording: risk, knee angle against the age norm, recommendation;
                    optional PDF report and a record in the database (--record)
    history         stored screenings, filtered; optional CSV export
    session         class sessions: import a roster, list, mark a child, class summary (PDF, CSV)
    child delete    delete a child's records and the files derived from them
    synth           render a labelled data set of synthetic walking-child clips
    train           train a model from a JSON config (synthetic data or labelled videos)
    evaluate        evaluate a weights file: the paper's table, calibration, baseline
    ablate          train and test every model variant on the same data (the ablation table)
    model info      model card, parameters and GMACs
    gui             start the desktop application (also the ``genuscreen-gui`` script)

``genuscreen --self-test [DEVICE]`` checks an installation end to end (weights and their hash, the
sample clip screened, a PDF report, Qt and the translations) and prints a one-line verdict.

Errors the user can act on are printed as one clear line on stderr with exit code 2; no traceback.
``screen`` has its own codes (0 result, 2 not screenable, 1 error); ``session import`` exits 1
with the roster's bad lines (nothing is imported).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import sys
from pathlib import Path

from genuscreen import __version__
from genuscreen.files import write_json_atomic

EXIT_OK = 0
EXIT_NOT_SCREENABLE = 1  # the command worked, but the clip does not meet the protocol
EXIT_USER_ERROR = 2
# `screen` has its own codes (its users script on them): 0 result, 2 rejected by the gate, 1 error.
SCREEN_NOT_SCREENABLE = 2
SCREEN_ERROR = 1
EXIT_SELF_TEST_FAILED = 1


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


def _front_end_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--front-end", choices=["pose", "background"], default=None,
        help="what finds the child: the pose model (default; when it cannot be loaded the background model is "
             "used, with a warning) or a model of the empty scene (background)",
    )  # fmt: skip


def _warn_front_end(command: str) -> str:
    """"auto" (the pose model, or the background model when the pose model cannot be loaded),
    after a one-line warning that names the pose model file when it falls back."""
    from genuscreen.video import choose_front_end

    for note in choose_front_end("auto")[1]:
        print(f"genuscreen {command}: warning: {note}", file=sys.stderr)
    return "auto"


def _inspect_front_end() -> str:
    from genuscreen.video import choose_front_end

    _warn_front_end("inspect")
    return choose_front_end("auto")[0]


def cmd_inspect(args: argparse.Namespace) -> int:
    from genuscreen.video import VideoError, inspect_video
    from genuscreen.video.sheet import write_contact_sheet

    def progress(stage: str, done: int, total: int) -> None:
        if args.progress and (done == total or done % 50 == 0):
            print(f"\r{stage}: {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        inspection = inspect_video(args.video, empty_scene=args.empty_scene, progress=progress,
                                   front_end=args.front_end or _inspect_front_end())  # fmt: skip
    except VideoError as error:
        print(f"genuscreen inspect: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    if args.progress:
        print(file=sys.stderr)
    _print_report(inspection)
    try:
        if args.json:
            write_json_atomic(Path(args.json), inspection.to_dict())
            print(f"report written to {args.json}")
        if args.sheet:
            write_contact_sheet(inspection.extraction, args.sheet)
            print(f"contact sheet written to {args.sheet}")
    except OSError as error:
        print(f"genuscreen inspect: could not write the output ({error.strerror or error}). "
              "Choose a folder you can write to.", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK if inspection.quality.ok else EXIT_NOT_SCREENABLE


def cmd_synth(args: argparse.Namespace) -> int:
    import time

    from genuscreen.synth.dataset import DatasetError, write_dataset

    def fail(message: str) -> int:
        print(f"genuscreen synth: {message}", file=sys.stderr)
        return EXIT_USER_ERROR

    def parse_size(text: str) -> tuple[int, int] | None:
        """'640x480' -> (640, 480); None when the text is not WIDTHxHEIGHT."""
        width, sep, height = text.lower().partition("x")
        if not sep or not width.isdigit() or not height.isdigit():
            return None
        return int(width), int(height)

    size = None
    if args.size is not None:
        size = parse_size(args.size)
        if size is None or not (64 <= min(size) and max(size) <= 7680):
            return fail(f"--size must be WIDTHxHEIGHT with 64-7680 pixels a side, e.g. 640x480; got {args.size!r}")
    if args.n < 1:
        return fail(f"--n must be at least 1, got {args.n}")
    if args.borderline < 0:
        return fail(f"--borderline must not be negative, got {args.borderline}")
    if args.fps is not None and not 1.0 <= args.fps <= 240.0:
        return fail(f"--fps must be within 1-240, got {args.fps:g}")
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        return fail(f"--workers must be at least 1, got {workers}")
    if args.seed < 0:
        return fail(f"--seed must not be negative, got {args.seed}")

    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = 60.0 * done / max(time.perf_counter() - started, 1e-9)
        end = "\n" if done == total else ""
        print(f"\rsynth: {done}/{total} clips, {rate:.1f} clips/min", end=end, file=sys.stderr, flush=True)

    try:
        records = write_dataset(
            args.out, args.n, args.seed, borderline=args.borderline, varus=args.varus, masks=args.masks,
            size=size, fps=args.fps, workers=workers, overwrite=args.overwrite, progress=progress,
            tier=args.tier,
        )
    except DatasetError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the data set ({error.strerror or error}). Choose a folder you can write to.")
    out = Path(args.out)
    print(f"{len(records)} clips written to {out / 'clips'}; labels in {out / 'labels.jsonl'} and {out / 'labels.csv'}")
    return EXIT_OK


def cmd_model_info(args: argparse.Namespace) -> int:
    from genuscreen.model import build_model, list_models
    from genuscreen.model.complexity import DEFAULT_INPUT, count_macs, parameter_count
    from genuscreen.model.weights import WeightsError, load_weights

    if args.weights is None:
        shape = "x".join(str(v) for v in DEFAULT_INPUT[2:])
        print(f"builders (one window of T x H x W = {shape}):")
        for name in list_models():
            model = build_model(name)
            print(f"  {name:16s} {parameter_count(model):>12,d} parameters  {count_macs(model) / 1e9:6.3f} GMACs")
        return EXIT_OK
    try:
        loaded = load_weights(args.weights)
    except WeightsError as error:
        print(f"genuscreen model info: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    card = loaded.card
    spec = card["input"]
    shape = (1, 1, int(spec["frames"]), int(spec["height"]), int(spec["width"]))
    print(json.dumps(card, indent=2, ensure_ascii=False))
    print(f"parameters: {parameter_count(loaded.model):,d}")
    print(f"GMACs per window ({shape[2]}x{shape[3]}x{shape[4]}): {count_macs(loaded.model, shape) / 1e9:.3f}")
    return EXIT_OK


def _print_result(result) -> None:
    print(f"{result.video['file']}: {result.video['width']}x{result.video['height']}, model {result.model['id']} "
          f"{result.model['version']} on {result.device}")  # fmt: skip
    if not result.screenable:
        print("NOT SCREENABLE")
        for problem in result.quality["problems"]:
            print(f"  [{problem['code']}] {problem['message']}")
        return
    lo, hi = result.risk_interval
    alo, ahi = result.knee_angle_interval
    print(f"risk of genu valgum: {result.risk:.2f} (90% interval {lo:.2f}-{hi:.2f}) - {result.category.replace('_', ' ')}")
    print(f"estimated knee angle: {result.knee_angle_deg:.1f} degrees valgus (90% interval {alo:.1f}-{ahi:.1f})")
    if result.norm_band_deg is not None:
        b = result.norm_band_deg
        print(f"normal band for {result.age_y:g} years: {b[0]:.0f}-{b[2]:.0f} degrees (mean {b[1]:.1f})")
    from genuscreen.clinical import RECOMMENDATION_WORDS

    print(f"recommendation: {RECOMMENDATION_WORDS[result.recommendation]}")
    print(f"  {result.reason}")
    for note in result.notes:
        print(f"note: {note}")
    print("Screening support, not a diagnosis. Not clinically validated.")


def _open_database(args: argparse.Namespace, command: str):
    """The records in --data-dir (default: the user's data folder); None after printing why not."""
    import sqlite3

    from genuscreen.storage import Database, SchemaError

    try:
        return Database(args.data_dir)
    except (SchemaError, sqlite3.Error, OSError) as error:
        where = args.data_dir or "the data folder"
        print(f"genuscreen {command}: cannot open the records in {where}: {storage_advice(error)}", file=sys.stderr)
        return None


def storage_advice(error: BaseException) -> str:
    """What went wrong with the records or an output file, and what to do; nothing was changed."""
    import errno
    import sqlite3

    text = str(error)
    if isinstance(error, OSError) and error.errno == errno.ENOSPC or "disk is full" in text:
        return "the disk is full. Free some space and try again; nothing saved before was changed."
    if "locked" in text or "busy" in text:
        return ("the records are busy (another GenuScreen is writing to them). Wait a moment or close the other "
                "window, then try again.")  # fmt: skip
    if "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
        return "the records are read-only here. Choose a data folder you can write to (--data-dir)."
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return ("the records file is damaged. Restore it from a backup, or move it out of the folder to start "
                "new records; GenuScreen did not change it.")  # fmt: skip
    return f"{text.rstrip('.')}."


def cmd_screen(args: argparse.Namespace) -> int:
    record = args.record or args.session is not None
    if record and not args.child_id:
        print("genuscreen screen: --record and --session need --child-id (the child's school or clinic ID).",
              file=sys.stderr)  # fmt: skip
        return SCREEN_ERROR
    db = None
    if record:
        db = _open_database(args, "screen")
        if db is None:
            return SCREEN_ERROR
    try:
        return _screen(args, db)
    finally:
        if db is not None:
            db.close()


def _screen(args: argparse.Namespace, db) -> int:
    """``screen`` with the records open when the screening is to be kept (db), else None."""
    import errno
    import sqlite3
    from datetime import date, datetime

    from genuscreen.inference import run_screen
    from genuscreen.inference.explain import write_overlay_video
    from genuscreen.model.weights import WeightsError
    from genuscreen.storage import StorageError
    from genuscreen.video import VideoError

    def fail(message: str) -> int:
        print(f"genuscreen screen: {message}", file=sys.stderr)
        return SCREEN_ERROR

    age, sex = args.age, args.sex
    if db is not None:
        try:
            if args.session is not None:
                db.get_session(args.session)
            known = db.find_child(args.child_id)
        except StorageError as error:
            return fail(str(error))
        if known is not None:
            # The recorded date of birth gives the age for the norms when --age is not given.
            age = age if age is not None else known.age_on(date.today())
            sex = sex or known.sex

    shown = [-1]

    def progress(p) -> None:
        percent = 100 * p.done // p.total
        if args.progress and percent // 5 != shown[0] // 5:
            shown[0] = percent
            print(f"\r{p.stage}: {percent}%   ", end="", file=sys.stderr, flush=True)

    try:
        result = run_screen(args.video, on_progress=progress, age_y=age, sex=sex, device=args.device,
                            weights=args.weights, front_end=args.front_end or _warn_front_end("screen"))  # fmt: skip
    except (VideoError, WeightsError, ValueError) as error:
        if args.progress:
            print(file=sys.stderr)
        return fail(str(error))
    if args.progress:
        print(file=sys.stderr)
    _print_result(result)
    screened_at = datetime.now().astimezone()
    given = bool(args.child_id or args.name)
    child_details = {"id": args.child_id, "name": args.name, "date_of_birth": None, "age_years": age, "sex": sex}
    try:
        child = None
        if db is not None:
            child = db.ensure_child(args.child_id, args.name, None, sex)
            child_details = child.details(age_y=age)
        overlay_written = None
        if args.json:
            data = result.to_dict()
            if given:
                data["child"] = child_details
            write_json_atomic(Path(args.json), data)
            print(f"result written to {args.json}")
        if args.overlay and result.screenable:
            write_overlay_video(args.video, result, args.overlay)
            overlay_written = args.overlay
            print(f"overlay video written to {args.overlay}")
        elif args.overlay:
            print("no overlay: the recording could not be screened")
        if args.report:
            from genuscreen.report import write_report

            write_report(result, args.report, child=child_details if given else None, operator=args.operator,
                         screened_at=screened_at, video=args.video, language=args.language, page=args.page,
                         silhouettes_only=args.silhouettes_only)  # fmt: skip
            print(f"report written to {args.report}")
        if child is not None:
            stored = db.record_screening(result, child.id, session_id=args.session, video_path=args.video,
                                         report_path=args.report, overlay_path=overlay_written,
                                         operator=args.operator, screened_at=screened_at)  # fmt: skip
            print(f"recorded as screening {stored.id} of child {child.external_id} in {db.data_dir}")
    except StorageError as error:
        return fail(str(error))
    except sqlite3.Error as error:
        return fail(f"could not record the screening: {storage_advice(error)}")
    except OSError as error:
        if error.errno == errno.ENOSPC:
            return fail(f"could not write the output: {storage_advice(error)}")
        return fail(f"could not write the output ({error.strerror or error}). Choose a folder you can write to.")
    except VideoError as error:
        return fail(f"could not write the output ({error}). Choose a folder you can write to.")
    return EXIT_OK if result.screenable else SCREEN_NOT_SCREENABLE


def _parse_day(text: str | None, option: str):
    """A date from YYYY-MM-DD; raises ValueError naming the option."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option} must be a date written as YYYY-MM-DD, got {text!r}") from None


def cmd_history(args: argparse.Namespace) -> int:
    from genuscreen.storage import StorageError

    def fail(message: str) -> int:
        print(f"genuscreen history: {message}", file=sys.stderr)
        return EXIT_USER_ERROR

    try:
        filters = dict(session_id=args.session, since=_parse_day(args.since, "--since"),
                       until=_parse_day(args.until, "--until"), category=args.category, search=args.search)  # fmt: skip
    except ValueError as error:
        return fail(str(error))
    db = _open_database(args, "history")
    if db is None:
        return EXIT_USER_ERROR
    try:
        with db:
            if args.session is not None:
                db.get_session(args.session)
            records = db.screenings(**filters)
            if args.csv:
                db.export_csv(args.csv, **filters)
    except StorageError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write {args.csv} ({error.strerror or error}). Choose a folder you can write to.")
    if not records:
        print("no screenings match")
    else:
        print(f"{'no.':>5}  {'date':16}  {'child ID':12}  {'name':20}  {'category':22}  {'recommendation':14}  "
              f"{'risk':>5}  {'angle':>6}")  # fmt: skip
        for r in records:
            risk = f"{r.risk:.2f}" if r.risk is not None else "-"
            angle = f"{r.knee_angle_deg:.1f}" if r.knee_angle_deg is not None else "-"
            print(f"{r.id:>5}  {r.screened_at:%Y-%m-%d %H:%M}  {r.child_external_id:12}  {(r.child_name or '-'):20}  "
                  f"{r.category:22}  {(r.recommendation or '-'):14}  {risk:>5}  {angle:>6}")  # fmt: skip
    if args.csv:
        print(f"{len(records)} screenings written to {args.csv}")
    return EXIT_OK


def cmd_session_import(args: argparse.Namespace) -> int:
    from genuscreen.storage import RosterError, StorageError, read_roster

    try:
        day = _parse_day(args.date, "--date")
        roster = read_roster(args.roster, on=day)
    except (ValueError, RosterError) as error:
        print(f"genuscreen session import: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    for note in roster.notes:
        print(f"note: {note}")
    if roster.errors:
        print(f"genuscreen session import: {len(roster.errors)} bad lines in {Path(args.roster).name}; nothing was "
              "imported. Fix them and import again:", file=sys.stderr)  # fmt: skip
        for error in roster.errors:
            print(f"  {error}", file=sys.stderr)
        return EXIT_NOT_SCREENABLE
    db = _open_database(args, "session import")
    if db is None:
        return EXIT_USER_ERROR
    try:
        with db:
            session = db.import_roster(roster, school=args.school, class_name=args.class_name, day=day,
                                       operator=args.operator)  # fmt: skip
    except StorageError as error:
        print(f"genuscreen session import: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"class session {session.id} created: {len(roster.rows)} children, {session.date.isoformat()}"
          + "".join(f", {v}" for v in (session.school, session.class_name) if v))  # fmt: skip
    print(f"screen each child with: genuscreen screen VIDEO --session {session.id} --child-id ID")
    return EXIT_OK


def cmd_session_list(args: argparse.Namespace) -> int:
    db = _open_database(args, "session list")
    if db is None:
        return EXIT_USER_ERROR
    with db:
        sessions = db.sessions()
        if not sessions:
            print("no class sessions")
        for session in sessions:
            members = db.members(session.id)
            done = sum(m.status == "done" for m in members)
            print(f"{session.id:>4}  {session.date.isoformat()}  {session.school or '-'} / {session.class_name or '-'}  "
                  f"{done}/{len(members)} screened")  # fmt: skip
    return EXIT_OK


def cmd_session_mark(args: argparse.Namespace) -> int:
    from genuscreen.storage import StorageError

    db = _open_database(args, "session mark")
    if db is None:
        return EXIT_USER_ERROR
    try:
        with db:
            child = db.find_child(args.child_id)
            if child is None:
                raise StorageError(f"no child with ID {args.child_id!r} in the records")
            db.set_member_status(args.session, child.id, args.status)
    except StorageError as error:
        print(f"genuscreen session mark: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    print(f"child {args.child_id} marked {args.status} in class session {args.session}")
    return EXIT_OK


def cmd_session_report(args: argparse.Namespace) -> int:
    from genuscreen.report import write_class_summary, write_class_summary_csv
    from genuscreen.storage import StorageError

    def fail(message: str) -> int:
        print(f"genuscreen session report: {message}", file=sys.stderr)
        return EXIT_USER_ERROR

    if not args.pdf and not args.csv:
        return fail("say what to write: --pdf FILE, --csv FILE or both.")
    db = _open_database(args, "session report")
    if db is None:
        return EXIT_USER_ERROR
    try:
        with db:
            summary = db.class_summary(args.session)
        if args.pdf:
            write_class_summary(summary, args.pdf, language=args.language, page=args.page)
            print(f"class summary written to {args.pdf}")
        if args.csv:
            write_class_summary_csv(summary, args.csv)
            print(f"class summary table written to {args.csv}")
    except StorageError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"could not write the output ({error.strerror or error}). Choose a folder you can write to.")
    return EXIT_OK


def cmd_child_delete(args: argparse.Namespace) -> int:
    from genuscreen.storage import StorageError

    db = _open_database(args, "child delete")
    if db is None:
        return EXIT_USER_ERROR
    with db:
        child = db.find_child(args.child_id)
        if child is None:
            print(f"genuscreen child delete: no child with ID {args.child_id!r} in the records", file=sys.stderr)
            return EXIT_USER_ERROR
        count = len(db.screenings(child_id=child.id))
        if not args.yes:
            if not sys.stdin.isatty():
                print("genuscreen child delete: confirm with --yes (no terminal to ask on).", file=sys.stderr)
                return EXIT_USER_ERROR
            answer = input(f"Delete child {child.external_id} ({child.name or 'no name'}), {count} screenings and "
                           "their reports, overlays and heatmaps? The recordings are kept. [y/N] ")  # fmt: skip
            if answer.strip().lower() not in ("y", "yes"):
                print("nothing deleted")
                return EXIT_OK
        try:
            summary = db.delete_child(child.id)
        except StorageError as error:
            print(f"genuscreen child delete: {error}", file=sys.stderr)
            return EXIT_USER_ERROR
    print(f"child {args.child_id} deleted: {summary.screenings} screenings, {len(summary.files_removed)} files")
    for path, why in summary.files_failed:
        print(f"  could not remove {path}: {why}", file=sys.stderr)
    return EXIT_OK if not summary.files_failed else EXIT_USER_ERROR


def _data_source(path: str | None, front_end: str | None = None) -> dict | None:
    return None if path is None else {"videos": path, "front_end": front_end or "pose"}


def cmd_train(args: argparse.Namespace) -> int:
    from genuscreen.train.data import DataError
    from genuscreen.train.loop import TrainConfig, train

    try:
        config = TrainConfig.from_file(args.config)
        if args.data:
            config.data = _data_source(args.data, args.front_end)
        train(config, args.out, cache=args.cache, resume=args.resume, device=args.device, quiet=args.quiet,
              log=lambda message: print(message, flush=True))
    except (ValueError, DataError) as error:
        print(f"genuscreen train: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from genuscreen.model.weights import WeightsError
    from genuscreen.train.data import DataError
    from genuscreen.train.evaluate import evaluate, render_markdown

    if args.videos_only and args.update_card:
        print("genuscreen evaluate: --update-card needs the card's own splits; leave out --videos-only.", file=sys.stderr)
        return EXIT_USER_ERROR
    try:
        report = evaluate(args.weights, args.out, args.cache or Path(args.out) / "cache",
                          _data_source(args.data, args.front_end), device=args.device, update_card=args.update_card,
                          command="genuscreen " + " ".join(sys.argv[1:]),
                          validation_videos=_data_source(args.validation_videos, args.front_end),
                          card_sets=not args.videos_only)  # fmt: skip
    except (ValueError, DataError, WeightsError) as error:
        print(f"genuscreen evaluate: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    print(render_markdown(report))
    print(f"reports in {args.out}/ (evaluation.md, evaluation.json, reliability.png)")
    return EXIT_OK


def cmd_ablate(args: argparse.Namespace) -> int:
    from genuscreen.model.weights import WeightsError
    from genuscreen.train.ablation import DEFAULT_MODELS, render_markdown, run_ablation
    from genuscreen.train.data import DataError

    try:
        result = run_ablation(args.config, args.out, models=args.models or DEFAULT_MODELS, cache=args.cache,
                              runs=args.runs, log=lambda message: print(message, flush=True))  # fmt: skip
    except (ValueError, DataError, WeightsError) as error:
        print(f"genuscreen ablate: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    print(render_markdown(result))
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    from genuscreen.selftest import run_self_test

    outcome = run_self_test(device=args.self_test)
    print(outcome.line(), file=sys.stdout if outcome.ok else sys.stderr)
    return EXIT_OK if outcome.ok else EXIT_SELF_TEST_FAILED


def cmd_gui(_args: argparse.Namespace) -> int:
    from genuscreen.gui.app import run

    return run()


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder of the records (default: $GENUSCREEN_DATA_DIR or the user's data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="genuscreen",
        description="GenuScreen: screening support for knock-knees in children from a walking video. "
        "Not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"GenuScreen {__version__}")
    parser.add_argument("--self-test", nargs="?", const="cpu", choices=["cpu", "cuda", "auto"], metavar="DEVICE",
                        help="check this installation: weights and their hash, the sample clip screened (on DEVICE, "
                             "default cpu), a PDF report, Qt and the translations; one line, exit 0 only when all "
                             "worked")  # fmt: skip
    # Not required by argparse: --self-test runs without a command (main() asks for one otherwise).
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("inspect", help="check a recording against the protocol (quality report)")
    p.add_argument("video", help="video file of a child walking toward the camera")
    p.add_argument("--json", metavar="FILE", help="write the quality report as JSON")
    p.add_argument("--sheet", metavar="PNG", help="write a contact sheet of frames with box and silhouette")
    p.add_argument("--empty-scene", metavar="FILE", help="image or clip of the scene without anyone in it")
    _front_end_argument(p)
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("screen", help="screen a recording: risk, knee angle, recommendation (exit 0 result, 2 not screenable, 1 error)")
    p.add_argument("video", help="video file of a child walking toward the camera")
    p.add_argument("--age", type=float, metavar="YEARS", help="the child's age, for the age norm of the knee angle")
    p.add_argument("--sex", choices=["F", "M"], help="the child's sex")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="where the model runs (default auto)")
    p.add_argument("--weights", metavar="FILE", help="weights file with its model card (default: the shipped model)")
    p.add_argument("--json", metavar="FILE", help="write the result as JSON")
    p.add_argument("--overlay", metavar="FILE.mp4", help="write the video with the attention overlay")
    p.add_argument("--report", metavar="FILE.pdf", help="write a PDF report")
    p.add_argument("--child-id", metavar="ID", help="the child's school or clinic ID (printed in the report; needed by --record)")
    p.add_argument("--name", help="the child's name (printed in the report; stored for a new child with --record)")
    p.add_argument("--operator", help="who screened (printed in the report and stored)")
    p.add_argument("--record", action="store_true", help="store the screening in the records (--data-dir) for the child --child-id")
    p.add_argument("--session", type=int, metavar="N", help="store it in class session N and mark the child done (implies --record)")
    p.add_argument("--language", default="en", choices=["en", "zh"], help="language of the report (default en; zh: Simplified Chinese)")
    p.add_argument("--page", default="A4", choices=["A4", "Letter"], help="paper size of the report (default A4)")
    p.add_argument("--silhouettes-only", action="store_true", help="key frames in the report show silhouettes, not the child")
    _front_end_argument(p)
    _data_dir_option(p)
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    p.set_defaults(func=cmd_screen)

    categories = ["genu_valgum_likely", "uncertain", "genu_valgum_unlikely", "not_screenable"]
    p = sub.add_parser("history", help="stored screenings, newest first; optional CSV export")
    p.add_argument("--session", type=int, metavar="N", help="only class session N")
    p.add_argument("--category", choices=categories, help="only this category")
    p.add_argument("--since", metavar="DATE", help="only screenings on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="only screenings on or before DATE (YYYY-MM-DD)")
    p.add_argument("--search", metavar="TEXT", help="only children whose ID or name contains TEXT")
    p.add_argument("--csv", metavar="FILE", help="write the screenings shown to a CSV file")
    _data_dir_option(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("session", help="class sessions: import a roster, list, mark a child, class summary")
    session_sub = p.add_subparsers(dest="session_command", required=True, metavar="ACTION")
    q = session_sub.add_parser("import", help="create a class session from a roster CSV (ID, name, date of birth, sex); exit 1 with the bad lines")
    q.add_argument("roster", metavar="ROSTER.csv", help="CSV with columns ID, name, date of birth, sex")
    q.add_argument("--school", help="school name")
    q.add_argument("--class", dest="class_name", metavar="CLASS", help="class name")
    q.add_argument("--date", metavar="DATE", help="screening day (YYYY-MM-DD, default today); ages are checked on it")
    q.add_argument("--operator", help="who screens")
    _data_dir_option(q)
    q.set_defaults(func=cmd_session_import)
    q = session_sub.add_parser("list", help="class sessions with how many children are screened")
    _data_dir_option(q)
    q.set_defaults(func=cmd_session_list)
    q = session_sub.add_parser("mark", help="mark a child in a class session: absent, skipped, pending or done")
    q.add_argument("session", type=int, metavar="N", help="class session number")
    q.add_argument("child_id", metavar="CHILD_ID", help="the child's ID")
    q.add_argument("status", choices=["absent", "skipped", "pending", "done"])
    _data_dir_option(q)
    q.set_defaults(func=cmd_session_mark)
    q = session_sub.add_parser("report", help="class summary of session N: PDF (referral list first) and/or CSV")
    q.add_argument("session", type=int, metavar="N", help="class session number (see: genuscreen session list)")
    q.add_argument("--pdf", metavar="FILE", help="write the class summary PDF")
    q.add_argument("--csv", metavar="FILE", help="write the class summary as CSV")
    q.add_argument("--language", default="en", choices=["en", "zh"], help="language of the PDF (default en)")
    q.add_argument("--page", default="A4", choices=["A4", "Letter"], help="paper size (default A4)")
    _data_dir_option(q)
    q.set_defaults(func=cmd_session_report)

    p = sub.add_parser("child", help="children in the records")
    child_sub = p.add_subparsers(dest="child_command", required=True, metavar="ACTION")
    q = child_sub.add_parser("delete", help="delete a child, their screenings and the reports, overlays and heatmaps made from them (never the recordings)")
    q.add_argument("child_id", metavar="CHILD_ID", help="the child's ID")
    q.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _data_dir_option(q)
    q.set_defaults(func=cmd_child_delete)

    p = sub.add_parser("synth", help="render a labelled data set of synthetic walking-child clips")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (clips/, labels.jsonl, labels.csv)")
    p.add_argument("--n", type=int, required=True, help="number of clips with hard labels (normal / genu valgum)")
    p.add_argument("--seed", type=int, default=0, help="seed of the whole data set (default 0)")
    p.add_argument("--borderline", type=int, default=0, metavar="K", help="add K clips with borderline angles (10-15 degrees)")
    p.add_argument("--varus", action="store_true", help="make 10%% of the clips varus (bow legs) instead of normal")
    p.add_argument("--masks", action="store_true", help="also write per-frame masks, boxes and joints (masks/<id>.npz)")
    p.add_argument("--size", metavar="WxH", help="frame size of every clip, e.g. 640x480 (default: drawn per clip)")
    p.add_argument("--fps", type=float, help="frame rate of every clip (default: drawn from 25/30/50/60)")
    p.add_argument("--workers", type=int, help="processes to render in (default: all cores)")
    p.add_argument("--overwrite", action="store_true", help="replace a data set already in DIR")
    p.add_argument("--tier", choices=("clean", "school"), default="clean",
                   help="recording conditions: clean (still camera, one child; default) or school (hand-held "
                        "camera, bystanders, blur, flicker, low light, strong compression; same children)")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("train", help="train a model (see configs/ for examples)")
    p.add_argument("--config", required=True, metavar="FILE", help="training config (JSON)")
    p.add_argument("--data", metavar="DIR", help="labelled videos instead of the config's data (labels.csv or normal/ and genu_valgum/)")
    p.add_argument("--out", default="runs/train", metavar="DIR", help="output folder (model.pt + card, log.csv, checkpoint)")
    p.add_argument("--cache", metavar="DIR", help="window cache (default OUT/cache)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--front-end", choices=["pose", "background"], help="what finds the child in --data videos (default pose)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="evaluate weights on their data splits and an optional test folder")
    p.add_argument("--weights", required=True, metavar="FILE", help="weights file (.pt) with its model card beside it")
    p.add_argument("--data", metavar="DIR", help="extra test data: labelled videos, read through the full video pipeline")
    p.add_argument("--out", default="runs/evaluate", metavar="DIR", help="report folder")
    p.add_argument("--cache", metavar="DIR", help="window cache (default OUT/cache)")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--validation-videos", metavar="DIR",
                   help="labelled videos (not the test children) read end to end: their angle error sizes the "
                        "screening interval (with --update-card, into the card)")
    p.add_argument("--update-card", action="store_true", help="write the metrics into the weights' model card")
    p.add_argument("--front-end", choices=["pose", "background"], help="what finds the child in the videos (default pose)")
    p.add_argument("--videos-only", action="store_true",
                   help="evaluate only --data and --validation-videos, not the card's own splits (the baseline is then "
                        "fitted on the validation videos)")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("ablate", help="train and test each model variant on the same data (ablation table)")
    p.add_argument("--config", required=True, metavar="FILE", help="training config shared by every variant")
    p.add_argument("--out", default="docs/ablation", metavar="DIR", help="folder for ablation.md and ablation.json")
    p.add_argument("--runs", default="runs/ablation", metavar="DIR", help="folder for the trained variants")
    p.add_argument("--models", nargs="+", metavar="NAME", help="variants (default: all builders)")
    p.add_argument("--cache", metavar="DIR", help="window cache (default OUT/cache)")
    p.set_defaults(func=cmd_ablate)

    p = sub.add_parser("model", help="about the screening model")
    model_sub = p.add_subparsers(dest="model_command", required=True, metavar="ACTION")
    info = model_sub.add_parser("info", help="model card, parameters and GMACs (no WEIGHTS: every builder)")
    info.add_argument("weights", nargs="?", help="weights file (.pt) with its model card (.json) beside it")
    info.set_defaults(func=cmd_model_info)

    p = sub.add_parser("gui", help="start the desktop application")
    p.set_defaults(func=cmd_gui)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # a process of its own (not a call from Python): keep native log lines quiet
        from genuscreen.native_logs import silence_native_logs

        silence_native_logs()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test is None and args.command is None:
        parser.error("the following arguments are required: COMMAND")
    if args.self_test is not None and args.command is not None:
        parser.error("--self-test runs on its own, without a command")
    # `screen` reports errors with 1 (2 means "not screenable"); the other commands with 2.
    error_code = SCREEN_ERROR if args.command == "screen" else EXIT_USER_ERROR
    try:
        if args.self_test is not None:
            return cmd_self_test(args)
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (OSError, sqlite3.Error) as error:  # the disk or the records failed mid-command
        print(f"genuscreen {args.command or ''}: {storage_advice(error)}".replace("  ", " "), file=sys.stderr)
        return error_code
    except Exception as error:
        if os.environ.get("GENUSCREEN_DEBUG"):
            raise
        # One line, never a traceback in the user's face; the details on request.
        print(f"genuscreen: unexpected error ({type(error).__name__}: {error}). Nothing saved was changed. "
              "Run again with GENUSCREEN_DEBUG=1 to see the details.", file=sys.stderr)  # fmt: skip
        return error_code
    finally:
        if argv is None:
            # The process ends next: the collector's last passes over torch's hundreds of
            # thousands of objects would add 0.2-0.3 s to every command for nothing.
            gc.freeze()


def gui_main() -> int:
    from genuscreen.native_logs import silence_native_logs

    silence_native_logs()
    return main(["gui"])


if __name__ == "__main__":
    raise SystemExit(main())
