"""``genuscreen --self-test``: one line, exit 0 only when the installation works end to end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from genuscreen import __version__, selftest
from genuscreen.cli import EXIT_OK, EXIT_SELF_TEST_FAILED, main
from genuscreen.model.weights import card_path, read_card, sha256_of

HEAD = f"GenuScreen {__version__} self-test:"


def test_self_test_passes_on_the_source_tree(capsys) -> None:
    code = main(["--self-test"])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, out + err
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    card = read_card(selftest.shipped_weights())
    line = lines[0]
    assert line.startswith(f"{HEAD} OK (pose model verified, weights {card['id']} {card['version']} verified, "
                           "sample screened on cpu (pose front end): ")
    assert "risk 0." in line and "report written" in line and "translations zh_CN" in line
    assert line.endswith(" s")


@pytest.fixture
def weights_copy(tmp_path: Path) -> Path:
    """The shipped weights and card copied to a temporary folder (the real ones stay untouched)."""
    real = selftest.shipped_weights()
    copy = tmp_path / real.name
    shutil.copyfile(real, copy)
    shutil.copyfile(card_path(real), card_path(copy))
    return copy


def test_damaged_weights_fail_with_exit_1(weights_copy: Path, monkeypatch, capsys) -> None:
    real = selftest.shipped_weights()
    data = bytearray(weights_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the tensors
    weights_copy.write_bytes(bytes(data))
    monkeypatch.setattr(selftest, "shipped_weights", lambda: weights_copy)

    assert main(["--self-test"]) == EXIT_SELF_TEST_FAILED
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{HEAD} FAILED: weights: {weights_copy.name} does not match its model card")
    assert "Reinstall the weights" in lines[0] and "not screened" in lines[0]
    assert sha256_of(real) == read_card(real)["sha256"], "the shipped weights were not touched"


def test_a_damaged_pose_model_is_named_and_the_rest_still_checked(broken_pose_models: Path, capsys) -> None:
    target = broken_pose_models / "modules/pose_landmark/pose_landmark_full.tflite"
    target.write_bytes(b"not a model")
    assert main(["--self-test"]) == EXIT_SELF_TEST_FAILED
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"{HEAD} FAILED: pose model: The pose model file {target} is damaged"), line
    assert "sample screened" not in line  # failures only; the screening with the background model passed


def test_missing_weights_name_the_file(tmp_path: Path, monkeypatch, capsys) -> None:
    missing = tmp_path / "gaitnet-synthetic.pt"
    monkeypatch.setattr(selftest, "shipped_weights", lambda: missing)
    assert main(["--self-test"]) == EXIT_SELF_TEST_FAILED
    assert f"FAILED: weights: Weights file not found: {missing}" in capsys.readouterr().err


@pytest.mark.parametrize("content", [None, b"not a compiled translation"], ids=["missing", "not-qm"])
def test_translations_missing_or_damaged_fail(tmp_path: Path, monkeypatch, content) -> None:
    from genuscreen.gui import app

    qm = tmp_path / "genuscreen_zh_CN.qm"
    if content is not None:
        qm.write_bytes(content)
    monkeypatch.setattr(app, "translation_file", lambda language: tmp_path / f"genuscreen_{language}.qm")
    outcome = selftest.SelfTestOutcome()
    selftest.check_desktop(outcome)
    assert not outcome.ok
    assert str(qm) in outcome.failures[0] and "scripts/build_translations.sh" in outcome.failures[0]


def test_shipped_translations_are_compiled_qm_files() -> None:
    outcome = selftest.SelfTestOutcome()
    selftest.check_desktop(outcome)
    assert outcome.ok, outcome.failures
    assert outcome.passed == ["desktop application loaded, translations zh_CN"]


def test_truncated_report_fails(tmp_path: Path, monkeypatch) -> None:
    import genuscreen.report

    def truncated(result, path, **kwargs):
        Path(path).write_bytes(b"%PDF-1.4\n" + b"0" * 100)

    monkeypatch.setattr(genuscreen.report, "write_report", truncated)
    outcome = selftest.SelfTestOutcome()
    selftest.check_report(outcome, None, Path("clip.mp4"), tmp_path / "r.pdf")
    assert outcome.failures == ["the PDF report written is not a whole PDF (109 bytes). Reinstall GenuScreen."]


def test_failure_line_joins_every_failure() -> None:
    outcome = selftest.SelfTestOutcome(passed=["report written"], failures=["a failed", "b failed"])
    assert outcome.line() == f"{HEAD} FAILED: a failed; b failed"


def test_a_command_is_still_required(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main([])
    assert stop.value.code == 2
    assert "required: COMMAND" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["--self-test", "cpu", "history"])
    assert stop.value.code == 2
    assert "--self-test runs on its own" in capsys.readouterr().err


def test_cli_and_self_test_modules_do_not_load_qt() -> None:
    code = ("import sys, genuscreen.cli, genuscreen.selftest; "
            "loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]; "
            "assert not loaded, loaded")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_libraries_that_do_not_load_are_a_failure_line(monkeypatch, capsys) -> None:
    def broken():
        raise RuntimeError("Unable to find torch_shm_manager")

    monkeypatch.setattr(selftest, "shipped_weights", broken)
    assert main(["--self-test"]) == EXIT_SELF_TEST_FAILED
    err = capsys.readouterr().err
    assert "FAILED: the screening libraries do not load (RuntimeError: Unable to find torch_shm_manager)" in err
    assert "Reinstall GenuScreen." in err


def test_asking_for_the_gpu_without_one_fails(capsys) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("a CUDA device is here: the GPU self-test passes")
    assert main(["--self-test", "cuda"]) == EXIT_SELF_TEST_FAILED
    err = capsys.readouterr().err
    assert "FAILED: the GPU was not used: CUDA was asked for but no CUDA device or driver" in err
