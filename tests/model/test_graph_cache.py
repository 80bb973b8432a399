"""The frozen graph kept on disk: a hit gives the same graph, anything else is rebuilt without
error, and the cache folder is where it should be (a temporary one in every test)."""

import threading
from pathlib import Path

import pytest
import torch
from torch import nn

from genuscreen import files
from genuscreen.cache import CACHE_DIR_ENV, cache_dir
from genuscreen.model import graph_cache
from genuscreen.model.network import build_model
from genuscreen.model.runtime import BatchRunner, RunPlan, cpu_has_bf16, device_fingerprint

TRUNK = {"weights_sha256": "ab" * 32, "part": "trunk"}
WINDOWS = (1, 16, 64, 44)
PRECISIONS = ["fp32", pytest.param("bf16", marks=pytest.mark.skipif(not cpu_has_bf16(), reason="no bf16 on this CPU"))]


@pytest.fixture(autouse=True)
def cache_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder


@pytest.fixture(scope="module")
def network():
    """A small GaitNet, for the test that the cached graph is the model's own."""
    torch.manual_seed(0)
    return build_model("gaitnet", width=8).eval()


def tiny_model(seed: int = 0) -> nn.Module:
    """Convolution, batch norm (folded by freezing) and a head: traced in milliseconds."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv3d(1, 4, 3, padding=1), nn.BatchNorm3d(4), nn.ReLU(), nn.AdaptiveAvgPool3d(1),
                          nn.Flatten(), nn.Linear(4, 2))  # fmt: skip
    model[1].running_mean.uniform_(-0.5, 0.5)
    model[1].running_var.uniform_(0.5, 2.0)
    return model.eval()


@pytest.fixture(scope="module")
def model():
    return tiny_model()


@pytest.fixture(scope="module")
def windows():
    torch.manual_seed(1)
    return torch.rand(3, *WINDOWS)


def runner(model, precision="fp32", cache_id=TRUNK) -> BatchRunner:
    return BatchRunner(model, RunPlan("cpu", precision, frozen=True, batch_size=4), cache_id=cache_id)


def never_built(monkeypatch) -> None:
    def fail(*_args):
        raise AssertionError("the graph was built although the cache holds it")

    monkeypatch.setattr(BatchRunner, "_trace_and_freeze", fail)


def entries(folder: Path) -> list[Path]:
    return sorted((folder / graph_cache.GRAPHS_FOLDER).glob("*.graph"))


@pytest.mark.parametrize("precision", PRECISIONS)
def test_a_cache_hit_loads_the_graph_that_was_built(network, windows, cache_folder, monkeypatch, precision) -> None:
    built = runner(network, precision)(windows)
    assert len(entries(cache_folder)) == 1
    never_built(monkeypatch)
    loaded = runner(network, precision)(windows)
    for name in ("logits", "angle"):
        assert torch.equal(loaded[name], built[name])  # the very same graph: bit for bit


def test_the_key_holds_what_the_graph_depends_on(network) -> None:
    key = runner(network, "bf16").graph_key(WINDOWS)
    assert key["model"] == TRUNK and key["torch"] == torch.__version__ and key["device"] == "cpu"
    assert (key["precision"], key["batch_size"], key["window_shape"]) == ("bf16", 4, list(WINDOWS))
    assert len(key["code"]) == 64  # sha256 of the model code and structure


def test_other_weights_torch_precision_or_shape_make_a_new_entry(model, windows, cache_folder, monkeypatch) -> None:
    runner(model)(windows)
    runner(model, cache_id={**TRUNK, "weights_sha256": "cd" * 32})(windows)
    runner(model)(torch.rand(2, 1, 8, 64, 44))
    if cpu_has_bf16():
        runner(model, "bf16")(windows)
    monkeypatch.setattr(torch, "__version__", "9.9.9")
    runner(model)(windows)
    assert len(entries(cache_folder)) == (5 if cpu_has_bf16() else 4)


def test_a_file_holding_another_key_is_not_loaded(model, windows, cache_folder) -> None:
    expected = runner(model)(windows)
    other = runner(model, cache_id={**TRUNK, "part": "other"})
    # Another model's graph (other weights) copied under this key's file name.
    stranger = runner(tiny_model(seed=5), cache_id={**TRUNK, "weights_sha256": "ee" * 32})
    stranger(windows)
    graph_cache.entry_path(stranger.graph_key(WINDOWS)).replace(graph_cache.entry_path(other.graph_key(WINDOWS)))
    assert graph_cache.load(other.graph_key(WINDOWS)) is None
    torch.testing.assert_close(other(windows), expected, rtol=0, atol=0)


def damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def damage_payload(data: bytes) -> bytes:
    position = len(data) - 100
    return data[:position] + bytes([data[position] ^ 0xFF]) + data[position + 1 :]


def damage_header(data: bytes) -> bytes:
    return b"{not json" + data[data.index(b"\n") :]


@pytest.mark.parametrize(
    "damage",
    [damage_truncate, damage_payload, damage_header, lambda data: b"", lambda data: b"\x00\xff" * 5000,
     lambda data: b'{"key": 1}\nPK...'],
    ids=["truncated", "payload-changed", "header-not-json", "empty", "binary-junk", "foreign-header"],
)  # fmt: skip
def test_a_damaged_entry_is_rebuilt_and_overwritten(model, windows, cache_folder, damage) -> None:
    expected = runner(model)(windows)
    [entry] = entries(cache_folder)
    entry.write_bytes(damage(entry.read_bytes()))
    again = runner(model)(windows)
    torch.testing.assert_close(again, expected, rtol=0, atol=0)
    key = runner(model).graph_key(WINDOWS)
    assert graph_cache.load(key) is not None  # the damaged file was replaced by a good one


def test_a_payload_torch_cannot_read_is_rebuilt(model, windows, cache_folder, monkeypatch) -> None:
    expected = runner(model)(windows)

    def broken(*_args, **_kwargs):
        raise RuntimeError("PytorchStreamReader failed reading zip archive")

    with monkeypatch.context() as patch:
        patch.setattr(torch.jit, "load", broken)
        torch.testing.assert_close(runner(model)(windows), expected, rtol=0, atol=0)
    assert len(entries(cache_folder)) == 1


def refuse_temporary_files(monkeypatch) -> None:
    """Writing into the cache folder fails as in a read-only folder (root ignores mode bits)."""

    def read_only(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)


def test_a_read_only_cache_folder_builds_in_memory(model, windows, cache_folder, monkeypatch) -> None:
    cache_folder.mkdir()
    cache_folder.chmod(0o555)
    refuse_temporary_files(monkeypatch)
    try:
        out = runner(model)(windows)
        assert out.shape == (3, 2)
        assert entries(cache_folder) == []
    finally:
        cache_folder.chmod(0o755)


def test_a_read_only_cache_folder_still_gives_its_entries(model, windows, monkeypatch) -> None:
    expected = runner(model)(windows)
    refuse_temporary_files(monkeypatch)
    never_built(monkeypatch)
    torch.testing.assert_close(runner(model)(windows), expected, rtol=0, atol=0)


def test_a_cache_folder_that_cannot_be_created_builds_in_memory(model, windows, tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocker / "cache"))
    out = runner(model)(windows)
    assert out.shape == (3, 2)
    assert blocker.read_text() == "not a folder"


def test_no_home_folder_to_find_builds_in_memory(model, windows, monkeypatch) -> None:
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(graph_cache, "cache_dir", no_home)
    assert runner(model)(windows).shape == (3, 2)


def test_processes_writing_the_same_entry_at_once_leave_one_good_entry(model, windows, cache_folder) -> None:
    source = runner(model)
    source(windows)
    key, graph = source.graph_key(WINDOWS), source._frozen
    errors = []

    def write_and_read() -> None:
        try:
            for _ in range(5):
                graph_cache.store(key, graph)
                assert graph_cache.load(key) is not None
        except Exception as error:  # collected and reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=write_and_read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [p.name for p in (cache_folder / graph_cache.GRAPHS_FOLDER).iterdir()] == [entries(cache_folder)[0].name]


def test_without_a_cache_id_nothing_is_written(model, windows, cache_folder) -> None:
    runner(model, cache_id=None)(windows)
    assert not cache_folder.exists()


def test_the_cache_folder_follows_the_environment_and_the_platform(tmp_path, monkeypatch) -> None:
    from genuscreen.storage.paths import default_data_dir

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "chosen"))
    assert cache_dir() == tmp_path / "chosen"
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("GENUSCREEN_DATA_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert cache_dir() == tmp_path / "xdg" / "GenuScreen"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    assert cache_dir() == tmp_path / "home" / ".cache" / "GenuScreen"
    assert not cache_dir().is_relative_to(default_data_dir())  # never among the children's records
    monkeypatch.setattr("sys.platform", "darwin")
    assert cache_dir() == tmp_path / "home" / "Library" / "Caches" / "GenuScreen"
    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache_dir() == tmp_path / "local" / "GenuScreen" / "Cache"


def test_a_cuda_key_names_the_gpu_and_its_capability(monkeypatch) -> None:
    monkeypatch.setattr(torch.cuda, "current_device", lambda: 0)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: "Test GPU")
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda index: (9, 0))
    assert device_fingerprint("cuda") == {"device": "cuda", "gpu": "Test GPU", "capability": [9, 0]}
    assert device_fingerprint("cpu")["device"] == "cpu"


def test_the_pipeline_caches_the_trunk_under_its_weights_hash(cache_folder) -> None:
    from genuscreen.inference.pipeline import _Prepared, default_weights
    from genuscreen.model.weights import load_weights

    loaded = load_weights(default_weights())
    prepared = _Prepared(loaded, "cpu", "auto")
    prepared.trunk_runner(torch.zeros(2, *WINDOWS))
    [entry] = entries(cache_folder)
    assert entry == graph_cache.entry_path(prepared.trunk_runner.graph_key(WINDOWS))
    assert prepared.trunk_runner.cache_id == {"weights_sha256": loaded.card["sha256"], "part": "trunk"}
